package dev.graft.formats.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PythonJsonTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void matchesJsonDumpsIndentTwoSortKeys() throws Exception {
        // python3 -c 'import json; print(json.dumps({"b":[1,{"y":[],"x":{}}],"a":"é\n","c":1e-05,"d":10000.0,
        //   "e":None,"f":True,"g":1.5e16,"h":0.0001,"i":-2.5}, indent=2, sort_keys=True))'
        String in = "{\"b\":[1,{\"y\":[],\"x\":{}}],\"a\":\"é\\n\",\"c\":1e-05,\"d\":10000.0,\"e\":null,\"f\":true,"
                + "\"g\":1.5e16,\"h\":0.0001,\"i\":-2.5}";
        assertThat(PythonJson.dumps(M.readTree(in), 2, true)).isEqualTo("""
                {
                  "a": "\\u00e9\\n",
                  "b": [
                    1,
                    {
                      "x": {},
                      "y": []
                    }
                  ],
                  "c": 1e-05,
                  "d": 10000.0,
                  "e": null,
                  "f": true,
                  "g": 1.5e+16,
                  "h": 0.0001,
                  "i": -2.5
                }""");
    }

    @Test
    void escapesAsPythonEnsureAsciiDoes() throws Exception {
        // python3 -c 'import json;print(json.dumps("a\x7fb\x01é\U0001F600"))'
        assertThat(PythonJson.dumps(com.fasterxml.jackson.databind.node.TextNode.valueOf("a\u007fb\u0001é\uD83D\uDE00"), 2, true))
                .isEqualTo("\"a\\u007fb\\u0001\\u00e9\\ud83d\\ude00\"");
    }

    @Test
    void floatReprMatchesPython() {
        assertThat(PythonJson.floatRepr(0.1)).isEqualTo("0.1");
        assertThat(PythonJson.floatRepr(1e-5)).isEqualTo("1e-05");
        assertThat(PythonJson.floatRepr(1e-6)).isEqualTo("1e-06");
        assertThat(PythonJson.floatRepr(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PythonJson.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PythonJson.floatRepr(9999999999999998.0)).isEqualTo("9999999999999998.0");
        assertThat(PythonJson.floatRepr(500000.0)).isEqualTo("500000.0");
        assertThat(PythonJson.floatRepr(-0.0)).isEqualTo("-0.0");
        assertThat(PythonJson.floatRepr(1e-300)).isEqualTo("1e-300");
        assertThat(PythonJson.floatRepr(2.5e-05)).isEqualTo("2.5e-05");
    }
}
