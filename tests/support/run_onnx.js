// Runs an exported generator with ONNX Runtime (the npm package onnxruntime-node, installed
// by scripts/install-deps.sh test) on float32 inputs in raw little-endian files, and writes
// the output the same way. Prints the output shape and the graph's input/output names as JSON.
// NOISE.bin is the voxel_noise input of a generator with shape noise.
//   node run_onnx.js MODEL LATENT.bin ENERGY.bin ROWS OUT.bin [NOISE.bin]
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function floats(file) {
  const bytes = fs.readFileSync(file);
  // A copy: a Float32Array needs a 4-byte aligned start, which a Buffer need not have.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

async function main() {
  const [model, latentFile, energyFile, rowsText, outFile, noiseFile] = process.argv.slice(2);
  const rows = Number(rowsText);
  const latent = floats(latentFile);
  const energy = floats(energyFile);
  // The runtime's default optimisations, as a user gets them; one thread, as the tests share
  // the machine.
  const session = await ort.InferenceSession.create(
      model, {intraOpNumThreads: 1, interOpNumThreads: 1});
  const feeds = {
    latent: new ort.Tensor('float32', latent, [rows, latent.length / rows]),
    incident_energy: new ort.Tensor('float32', energy, [rows, 1]),
  };
  if (noiseFile) {
    const noise = floats(noiseFile);
    feeds.voxel_noise = new ort.Tensor('float32', noise, [rows, noise.length / rows]);
  }
  const results = await session.run(feeds);
  const out = results.voxel_energy;
  fs.writeFileSync(outFile, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  process.stdout.write(JSON.stringify(
      {dims: out.dims, inputs: session.inputNames, outputs: session.outputNames}) + '\n');
}

main().catch((error) => {
  process.stderr.write(`run_onnx: ${error.message}\n`);
  process.exit(1);
});
