package dev.graft.algorithms.lora;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small dense helpers for the LoRA tests: seeded matrices, products, norms, and one-file float32 models. */
final class Matrices {
    private Matrices() {
    }

    static float[] gaussian(int n, double sigma, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sigma);
        }
        return x;
    }

    /** a [m, k] · b [k, n] in double. */
    static double[] product(float[] a, float[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                double x = a[i * k + j];
                for (int c2 = 0; c2 < n; c2++) {
                    c[i * n + c2] += x * b[j * n + c2];
                }
            }
        }
        return c;
    }

    /** scaling · B·A of a module, [out, in], in double. */
    static double[] delta(LoraModule m) {
        int r = m.rank();
        int out = (int) m.b().shape().dim(0);
        int in = (int) m.a().shape().dim(1);
        double[] d = product(m.b().toFloatArray(), m.a().toFloatArray(), out, r, in);
        for (int i = 0; i < d.length; i++) {
            d[i] *= m.scaling();
        }
        return d;
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double distance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    /** A model file of named float32 tensors. */
    static final class Model {
        private final Map<String, float[]> values = new LinkedHashMap<>();
        private final Map<String, Shape> shapes = new LinkedHashMap<>();

        Model put(String name, Shape shape, float[] v) {
            values.put(name, v);
            shapes.put(name, shape);
            return this;
        }

        Path write(Path file) {
            List<TensorSpec> specs = new ArrayList<>();
            shapes.forEach((n, s) -> specs.add(new TensorSpec(n, DType.F32, s)));
            try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, SafetensorsWriter.PT_METADATA, false)) {
                values.forEach(w::writeFloats);
                w.commit();
            }
            return file;
        }
    }
}
