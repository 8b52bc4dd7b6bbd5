package dev.graft.formats.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SerdeJsonTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void floatsAsTokenizersWritesThem() {
        // tokenizers 0.23.2: Tokenizer(models.Unigram([(f"t{i}", v) …])).to_str() for these scores.
        double[] values = {1e15, 1e16, 1e17, 1.5e16, 9999999999999998.0, 1e-4, 1e-5, 1e-6, 0.0001234, 123456.789,
            1e21, -0.0, 0.1, 100.0, 5e-324, 1.7976931348623157e308, 123456789012345.6, 2.5e-05, 1e22, 1e-7, 0.001};
        String[] serde = {"1000000000000000.0", "1e+16", "1e+17", "1.5e+16", "9999999999999998.0", "0.0001",
            "0.00001", "1e-6", "0.0001234", "123456.789", "1e+21", "-0.0", "0.1", "100.0", "5e-324",
            "1.7976931348623157e+308", "123456789012345.6", "0.000025", "1e+22", "1e-7", "0.001"};
        for (int i = 0; i < values.length; i++) {
            assertThat(SerdeJson.floatRepr(values[i])).as("%s", values[i]).isEqualTo(serde[i]);
        }
        assertThat(SerdeJson.floatRepr(-12.345678901234567)).isEqualTo("-12.345678901234567");
        assertThat(SerdeJson.floatRepr(Double.NaN)).isEqualTo("null");
    }

    @Test
    void prettyAndCompactLayouts() throws Exception {
        var node = M.readTree("{\"b\":[1,{\"y\":[],\"x\":{}}],\"a\":\"é\\n\\u0001\",\"c\":-1.5,"
                + "\"d\":null,\"e\":true}");
        assertThat(SerdeJson.pretty(node)).isEqualTo("""
                {
                  "b": [
                    1,
                    {
                      "y": [],
                      "x": {}
                    }
                  ],
                  "a": "é\\n\\u0001",
                  "c": -1.5,
                  "d": null,
                  "e": true
                }""");
        assertThat(SerdeJson.compact(node))
                .isEqualTo("{\"b\":[1,{\"y\":[],\"x\":{}}],\"a\":\"é\\n\\u0001\",\"c\":-1.5,\"d\":null,\"e\":true}");
    }
}
