package dev.graft.core.plan;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** Merge methods for planning tests, without math: parameters like linear's, plus a density with a range. */
public final class TestMethods {
    private TestMethods() {
    }

    /**
     * A method with a required per-model {@code weight}, a per-model {@code density} in [0, 1] and a global
     * {@code normalize}; its kernel fails if run.
     */
    public static MergeMethod of(String name, BaseModel base) {
        return new MergeMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return "test method";
            }

            @Override
            public String citation() {
                return "none";
            }

            @Override
            public BaseModel baseModel() {
                return base;
            }

            @Override
            public List<ParameterDef> globalParameters() {
                return List.of(ParameterDef.bool("normalize", true, "divide by the sum of the weights"));
            }

            @Override
            public List<ParameterDef> modelParameters() {
                return List.of(ParameterDef.number("weight", null, "weight"),
                        ParameterDef.number("density", 1.0, 0.0, 1.0, "fraction kept"));
            }

            @Override
            public boolean taskVector() {
                return false;
            }

            @Override
            public TensorKernel kernel() {
                return (inputs, parameters, output) -> {
                    throw new AssertionError("planning only");
                };
            }
        };
    }

}
