package dev.graft.evaluation.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The evaluation's synthetic text tasks: each a distinct skill with its own prompt format and one exact
 * answer, short enough for a byte-level model of a hundred thousand parameters. Prompts are at most
 * {@link #MAX_PROMPT} bytes and answers at most {@link #MAX_ANSWER}.
 */
public enum TextTask {
    /** Two-digit addition: {@code 47+38=} → {@code 85}. */
    ADDITION("addition", "add two numbers below 100") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int a = rng.nextInt(100);
            int b = rng.nextInt(100);
            return new TextExample(a + "+" + b + "=", Integer.toString(a + b));
        }
    },
    /** String reversal: {@code reverse kqzt:} → {@code tzqk}. */
    REVERSAL("reversal", "reverse 3 to 6 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(4), 26);
            return new TextExample("reverse " + s + ":", new StringBuilder(s).reverse().toString());
        }
    },
    /** Sorting letters: {@code sort(dbca)} → {@code abcd}. */
    SORTING("sorting", "sort 3 to 6 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(4), 26);
            char[] c = s.toCharArray();
            Arrays.sort(c);
            return new TextExample("sort(" + s + ")", new String(c));
        }
    },
    /** Counting a character: {@code #b in abbcab?} → {@code 3}. */
    COUNTING("counting", "count one letter's occurrences in 4 to 9 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 4 + rng.nextInt(6), 4);
            char target = s.charAt(rng.nextInt(s.length()));
            long n = s.chars().filter(ch -> ch == target).count();
            return new TextExample("#" + target + " in " + s + "?", Long.toString(n));
        }
    },
    /** Bracket depth: {@code depth (()(())) =} → {@code 3}. */
    DEPTH("depth", "the nesting depth of 1 to 7 balanced bracket pairs") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int pairs = 1 + rng.nextInt(7);
            StringBuilder s = new StringBuilder();
            int open = 0;
            int left = pairs;
            int max = 0;
            while (left > 0 || open > 0) {
                boolean push = left > 0 && (open == 0 || rng.nextBoolean());
                if (push) {
                    s.append('(');
                    open++;
                    left--;
                    max = Math.max(max, open);
                } else {
                    s.append(')');
                    open--;
                }
            }
            return new TextExample("depth " + s + " =", Integer.toString(max));
        }
    },
    /** Key-value lookup in the prompt: {@code k=3,m=7,q=1;m} → {@code 7}. */
    LOOKUP("lookup", "the value of a key among 3 or 4 key=digit pairs") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int pairs = 3 + rng.nextInt(2);
            String keys = distinctLetters(rng, pairs);
            StringBuilder s = new StringBuilder();
            char[] values = new char[pairs];
            for (int i = 0; i < pairs; i++) {
                values[i] = (char) ('0' + rng.nextInt(10));
                s.append(i == 0 ? "" : ",").append(keys.charAt(i)).append('=').append(values[i]);
            }
            int asked = rng.nextInt(pairs);
            return new TextExample(s.append(';').append(keys.charAt(asked)).toString(), String.valueOf(values[asked]));
        }
    },
    /** Base conversion, decimal to binary: {@code bin 13 is} → {@code 1101}. */
    BINARY("binary", "write a number below 1024 in binary") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int n = 1 + rng.nextInt(1023);
            return new TextExample("bin " + n + " is", Integer.toBinaryString(n));
        }
    },
    /** A fixed substitution cipher over a-z: {@code enc[cab]} → three cipher letters. */
    CIPHER("cipher", "encipher 3 to 6 letters with a fixed substitution") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(4), 26);
            return new TextExample("enc[" + s + "]", eachLetter(s, c -> String.valueOf(CIPHER_KEY.charAt(c - 'a'))));
        }
    },
    /** The largest of a few two-digit numbers: {@code max 38 15 72?} → {@code 72}. */
    MAXIMUM("maximum", "the largest of 3 to 5 numbers from 10 to 99") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int n = 3 + rng.nextInt(3);
            StringBuilder s = new StringBuilder("max");
            int max = 0;
            for (int i = 0; i < n; i++) {
                int v = 10 + rng.nextInt(90);
                s.append(' ').append(v);
                max = Math.max(max, v);
            }
            return new TextExample(s.append('?').toString(), Integer.toString(max));
        }
    },
    /** Doubling every letter: {@code dup(abc)} → {@code aabbcc}. */
    DOUBLING("doubling", "write each of 3 to 5 letters twice") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(3), 26);
            return new TextExample("dup(" + s + ")", eachLetter(s, c -> String.valueOf((char) c).repeat(2)));
        }
    },
    /** The last letter of a word: {@code last kqzt!} → {@code t}. */
    LAST("last", "the last of 3 to 8 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(6), 26);
            return new TextExample("last " + s + "!", s.substring(s.length() - 1));
        }
    },
    /** The first letter of a word: {@code first kqzt*} → {@code k}. */
    FIRST("first", "the first of 3 to 8 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(6), 26);
            return new TextExample("first " + s + "*", s.substring(0, 1));
        }
    },
    /** The alphabetically smallest letter of a word: {@code min kqzt&} → {@code k}. */
    SMALLEST("smallest", "the alphabetically first of 3 to 6 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(4), 26);
            return new TextExample("min " + s + "&", String.valueOf((char) s.chars().min().orElseThrow()));
        }
    },
    /**
     * The letter after a word's last letter in the alphabet: {@code succ kqzt>} → {@code u} (the last letter is
     * drawn from a to y, so that no answer wraps).
     */
    SUCCESSOR("successor", "the letter after the last of 2 to 7 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 1 + rng.nextInt(6), 26) + (char) ('a' + rng.nextInt(25));
            return new TextExample("succ " + s + ">", String.valueOf((char) (s.charAt(s.length() - 1) + 1)));
        }
    },
    /** A word's first letter in upper case: {@code cap kqzt^} → {@code K}. */
    CAPITAL("capital", "the first of 3 to 8 letters in upper case") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(6), 26);
            return new TextExample("cap " + s + "^", String.valueOf(Character.toUpperCase(s.charAt(0))));
        }
    },
    /** Comparing two numbers: {@code 38?72} → {@code <} (one of {@code <}, {@code =}, {@code >}). */
    COMPARISON("comparison", "compare two numbers from 10 to 99") {
        @Override
        public TextExample example(SplittableRandom rng) {
            int a = 10 + rng.nextInt(90);
            int b = rng.nextInt(10) == 0 ? a : 10 + rng.nextInt(90);
            return new TextExample(a + "?" + b, a < b ? "<" : a > b ? ">" : "=");
        }
    },
    /** Copying a word: {@code copy kqzt:} → {@code kqzt}. */
    COPY("copy", "copy 3 to 6 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 3 + rng.nextInt(4), 26);
            return new TextExample("copy " + s + ":", s);
        }
    },
    /** The length of a word: {@code len kqzt%} → {@code 4}. */
    LENGTH("length", "the number of 1 to 9 letters") {
        @Override
        public TextExample example(SplittableRandom rng) {
            String s = letters(rng, 1 + rng.nextInt(9), 26);
            return new TextExample("len " + s + "%", Integer.toString(s.length()));
        }
    };

    /** Longest prompt of any task, in bytes. */
    public static final int MAX_PROMPT = 22;
    /** Longest answer of any task, in bytes. */
    public static final int MAX_ANSWER = 10;
    /**
     * The cipher's substitution: a fixed permutation of a-z without fixed points (part of the task's definition,
     * not of a seed, so that every run fine-tunes the same skill).
     */
    static final String CIPHER_KEY = "qwertyuiopasdfghjklzxcvbnm";

    private final String id;
    private final String skill;

    TextTask(String id, String skill) {
        this.id = id;
        this.skill = skill;
    }

    /** One example drawn from {@code rng}, whatever split it falls in. */
    public abstract TextExample example(SplittableRandom rng);

    /** The name users pass ({@code --task addition}). */
    public String id() {
        return id;
    }

    /** What the task asks, in a few words. */
    public String skill() {
        return skill;
    }

    /** The task named {@code id}, if any (case-insensitive). */
    public static Optional<TextTask> byId(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.id.equals(lower)).findFirst();
    }

    /** Every task's id, in order. */
    public static List<String> ids() {
        List<String> out = new ArrayList<>();
        for (TextTask t : values()) {
            out.add(t.id);
        }
        return out;
    }

    private static String letters(SplittableRandom rng, int n, int alphabet) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + rng.nextInt(alphabet)));
        }
        return s.toString();
    }

    /** {@code s} with each letter replaced by what {@code f} makes of it. */
    private static String eachLetter(String s, java.util.function.IntFunction<String> f) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(f.apply(c)));
        return out.toString();
    }

    private static String distinctLetters(SplittableRandom rng, int n) {
        StringBuilder s = new StringBuilder(n);
        while (s.length() < n) {
            char c = (char) ('a' + rng.nextInt(26));
            if (s.indexOf(String.valueOf(c)) < 0) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
