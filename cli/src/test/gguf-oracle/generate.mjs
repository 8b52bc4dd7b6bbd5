// llama.cpp as an oracle for LlamaCppOracleTest: node-llama-cpp's prebuilt CPU build (@node-llama-cpp/linux-x64; no
// GPU, nothing built or downloaded) loads a GGUF file and is fed token ids (no tokenizer in the way).
//   node generate.mjs greedy MODEL.gguf MAX_TOKENS STOP_ID PROMPT...
//     Each PROMPT (comma-separated ids) is continued with llama.cpp's greedy sampler up to the stop token or the
//     limit. Prints {"continuations": [[id, ...], ...]}, one list per prompt.
//   node generate.mjs next MODEL.gguf FROM SEQUENCE...
//     Each SEQUENCE (comma-separated ids) is evaluated in one pass; at each position from FROM on, the next-token
//     distribution (softmax of the logits, no sampling options: [id, probability] pairs, most probable first) and
//     llama.cpp's pick are reported. Prints {"positions": [[{"token": id, "p": [[id, p], ...]}, ...], ...]}, one
//     list per sequence.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { resolve } from "node:path";

const [mode, file, ...rest] = process.argv.slice(2);
const ids = (text) => text.split(",").map(Number);

const llama = await getLlama({
  gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true, progressLogs: false,
  logLevel: LlamaLogLevel.error, maxThreads: 1,
});
const model = await llama.loadModel({ modelPath: resolve(file), gpuLayers: 0, useMmap: false });

async function withSequence(length, run) {
  // float32 keys and values (llama.cpp caches them as float16 unless told), no flash attention: the cache holds
  // what the pass computed, as the Java pass keeps it
  const context = await model.createContext({
    contextSize: length, threads: 1, flashAttention: false,
    experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32",
  });
  try {
    return await run(context.getSequence());
  } finally {
    await context.dispose();
  }
}

async function greedy(maxTokens, stop, prompts) {
  const longest = Math.max(...prompts.map((p) => p.length));
  return withSequence(longest + maxTokens + 1, async (sequence) => {
    const continuations = [];
    for (const prompt of prompts) {
      await sequence.clearHistory();
      const tokens = [];
      // temperature 0 is llama.cpp's greedy sampler (the arg-max); no repeat penalty unless asked for
      for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
        if (token === stop) {
          break;
        }
        tokens.push(token);
        if (tokens.length >= maxTokens) {
          break;
        }
      }
      continuations.push(tokens);
    }
    return { continuations };
  });
}

async function next(from, sequences) {
  const longest = Math.max(...sequences.map((s) => s.length));
  return withSequence(longest + 1, async (sequence) => {
    const positions = [];
    for (const tokens of sequences) {
      await sequence.clearHistory();
      const input = tokens.map((t, i) => (i >= from ? [t, { generateNext: { token: true, probabilities: true } }] : t));
      const out = await sequence.controlledEvaluate(input);
      positions.push(out.slice(from).map(({ next: n }) => ({ token: n.token, p: [...n.probabilities.entries()] })));
    }
    return { positions };
  });
}

const result = mode === "greedy"
  ? await greedy(Number(rest[0]), Number(rest[1]), rest.slice(2).map(ids))
  : mode === "next"
    ? await next(Number(rest[0]), rest.slice(1).map(ids))
    : (() => { throw new Error(`unknown mode ${mode}: greedy or next`); })();
await model.dispose();
await llama.dispose();
console.log(JSON.stringify(result));
