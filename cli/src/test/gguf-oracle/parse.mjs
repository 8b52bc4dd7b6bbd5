// Parses a GGUF file with Hugging Face's @huggingface/gguf and prints what it read as JSON, for GgufOracleTest:
// the version, every metadata entry with its GGUF value type, every tensor info (ggml-order shape, type id,
// offset) and where the data section starts. BigInts are printed as decimal strings.
import { gguf } from "@huggingface/gguf";
import { resolve } from "node:path";

const file = resolve(process.argv[2]);
const out = await gguf(file, { allowLocalFile: true, typedMetadata: true });
const text = (v) => (typeof v === "bigint" ? v.toString() : v);
const metadata = {};
for (const [key, entry] of Object.entries(out.typedMetadata)) {
  if (key === "version" || key === "tensor_count" || key === "kv_count") {
    continue; // the header's own fields, which the library lists beside the entries
  }
  const value = Array.isArray(entry.value) ? entry.value.map(text) : text(entry.value);
  metadata[key] = { type: entry.type, subType: entry.subType ?? null, value };
}
console.log(JSON.stringify({
  version: Number(out.metadata.version),
  tensorCount: text(out.metadata.tensor_count),
  kvCount: text(out.metadata.kv_count),
  littleEndian: out.littleEndian,
  tensorDataOffset: text(out.tensorDataOffset),
  metadata,
  tensors: out.tensorInfos.map((t) => ({ name: t.name, shape: t.shape.map(text), dtype: t.dtype, offset: text(t.offset) })),
}));
