// Reference outputs for tunebench's TF.js / Keras layers-model importer, computed by
// @tensorflow/tfjs itself (tfjs-core + tfjs-layers + the pure-JavaScript CPU backend).
//
//   cd tests/reference/tfjs && npm install
//   node tfjs_reference.cjs nsfwjs MODEL_DIR OUT.json      # nsfwjs' MobileNetV2 (model.min.js +
//                                                          # group1-shard1of1.min.js)
//   node tfjs_reference.cjs synthetic OUT_DIR              # writes a small float32 model
//                                                          # (model.json + .bin) and its outputs
//
// The input images are a formula both sides evaluate identically (integers / 255, rounded to
// float32 once): image n, row h, column w, channel c has value
//   ((n * 131 + h * 17 + w * 29 + c * 7 + h * w) % 256) / 255.
const path = require('path');
const fs = require('fs');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');

function inputImages(n, h, w, c) {
    const v = new Float32Array(n * h * w * c);
    let i = 0;
    for (let a = 0; a < n; a++)
        for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++)
                for (let k = 0; k < c; k++)
                    v[i++] = ((a * 131 + y * 17 + x * 29 + k * 7 + y * x) % 256) / 255;
    return tf.tensor4d(v, [n, h, w, c]);
}

// Per-channel means (channels last) and the values at the first and last spatial position of
// image 0: the corners are where Keras' asymmetric 'same' padding shows.
function summary(t) {
    const shape = t.shape;
    const data = Array.from(t.dataSync());
    if (shape.length === 2) return {shape, values: data};
    const c = shape[shape.length - 1];
    const per = data.length / c;
    const means = new Array(c).fill(0);
    for (let i = 0; i < data.length; i++) means[i % c] += data[i] / per;
    const imageSize = data.length / shape[0];
    return {
        shape,
        channel_means: means,
        first: data.slice(0, c),
        last_of_image0: data.slice(imageSize - c, imageSize),
    };
}

async function run(model, x, layerNames, logitsFrom) {
    const out = {};
    const outputs = layerNames.map((n) => model.getLayer(n).output);
    const probe = tfl.model({inputs: model.inputs, outputs});
    const ys = probe.predict(x);
    const list = Array.isArray(ys) ? ys : [ys];
    layerNames.forEach((n, i) => { out[n] = summary(list[i]); });
    const final = model.predict(x);
    out.__output__ = {shape: final.shape, values: Array.from(final.dataSync())};
    if (logitsFrom) {
        // Logits before the last Dense layer's softmax: its input times kernel plus bias.
        const [dense, prev] = logitsFrom;
        const before = tfl.model({inputs: model.inputs, outputs: model.getLayer(prev).output})
                           .predict(x);
        const [kernel, bias] = model.getLayer(dense).getWeights();
        const logits = tf.add(tf.matMul(before, kernel), bias);
        out.__logits__ = {shape: logits.shape, values: Array.from(logits.dataSync())};
    }
    return out;
}

async function nsfwjs(dir, outPath) {
    const json = require(path.resolve(dir, 'model.min.js'));
    const specs = [];
    const buffers = [];
    for (const group of json.weightsManifest) {
        for (const p of group.paths) {
            const base64 = require(path.resolve(dir, p + '.min.js'));
            buffers.push(Buffer.from(base64, 'base64'));
        }
        specs.push(...group.weights);
    }
    const data = Buffer.concat(buffers);
    const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
    const model = await tfl.loadLayersModel(
        tf.io.fromMemory({modelTopology: json.modelTopology, weightSpecs: specs, weightData}));
    const x = inputImages(2, 224, 224, 3);
    const layers = ['Conv1_relu', 'block_1_project_BN', 'block_2_add', 'block_16_project_BN',
                    'out_relu', 'flatten_1', 'dense_2'];
    const out = await run(model, x, layers, ['dense_3', 'dropout_3']);
    // A few decoded weights: the first values of the first weight and of a mid-model one.
    const decoded = tf.io.decodeWeights(weightData, specs);
    out.__decoded_weights__ = {};
    for (const name of ['Conv1/kernel', 'block_5_project_BN/moving_variance', 'dense_3/bias']) {
        out.__decoded_weights__[name] = Array.from(decoded[name].dataSync().slice(0, 8));
    }
    out.__input__ = {formula: '((n*131 + h*17 + w*29 + c*7 + h*w) % 256) / 255', shape: x.shape};
    out.__generated_by__ = `tests/reference/tfjs/tfjs_reference.cjs with @tensorflow/tfjs-core ${
        tf.version_core} and tfjs-layers ${tfl.version_layers}, CPU backend`;
    fs.writeFileSync(outPath, JSON.stringify(out, null, 1) + '\n');
}

// A small model covering what MobileNetV2 does not: 'same' padding with stride 2 on even
// inputs (TF pads more at the bottom/right), depthwise multiplier 2, max/average pooling with
// 'same' padding, Concatenate, a BatchNormalization with a non-default epsilon, dilation,
// GlobalAveragePooling2D, Reshape, Activation and Dense on top.
async function synthetic(outDir) {
    const init = (seed) => tfl.initializers.randomUniform({minval: -0.5, maxval: 0.5, seed});
    const input = tfl.input({shape: [10, 12, 3], name: 'image'});
    const c1 = tfl.layers.conv2d({filters: 4, kernelSize: 3, strides: 2, padding: 'same',
        name: 'conv_same_s2', kernelInitializer: init(1), biasInitializer: init(2),
        activation: 'relu'}).apply(input);
    const bn = tfl.layers.batchNormalization({epsilon: 0.01, name: 'bn',
        gammaInitializer: init(3), betaInitializer: init(4), movingMeanInitializer: init(5),
        movingVarianceInitializer: tfl.initializers.randomUniform({minval: 0.5, maxval: 1.5,
            seed: 6})}).apply(c1);
    const dw = tfl.layers.depthwiseConv2d({kernelSize: [3, 2], depthMultiplier: 2, strides: 1,
        padding: 'same', name: 'dw_same', depthwiseInitializer: init(7), useBias: true,
        biasInitializer: init(8)}).apply(bn);
    const r6 = tfl.layers.reLU({maxValue: 6, name: 'relu6'}).apply(dw);
    const dil = tfl.layers.conv2d({filters: 8, kernelSize: 3, dilationRate: 2, padding: 'same',
        name: 'conv_dilated', kernelInitializer: init(9), useBias: false}).apply(bn);
    const cat = tfl.layers.concatenate({name: 'concat'}).apply([r6, dil]);
    const mp = tfl.layers.maxPooling2d({poolSize: 3, strides: 2, padding: 'same',
        name: 'maxpool_same'}).apply(cat);
    const ap = tfl.layers.averagePooling2d({poolSize: 2, strides: 2, padding: 'same',
        name: 'avgpool_same'}).apply(mp);
    const zp = tfl.layers.zeroPadding2d({padding: [[1, 0], [0, 2]], name: 'zeropad'}).apply(ap);
    const c2 = tfl.layers.conv2d({filters: 6, kernelSize: 2, padding: 'valid', name: 'conv_valid',
        kernelInitializer: init(10), biasInitializer: init(11)}).apply(zp);
    const add = tfl.layers.add({name: 'add'}).apply([c2, tfl.layers.conv2d({filters: 6,
        kernelSize: 2, name: 'conv_side', kernelInitializer: init(12), useBias: false})
        .apply(zp)]);
    const act = tfl.layers.activation({activation: 'tanh', name: 'tanh'}).apply(add);
    const gap = tfl.layers.globalAveragePooling2d({name: 'gap'}).apply(act);
    const flat = tfl.layers.flatten({name: 'flatten'}).apply(act);
    const d1 = tfl.layers.dense({units: 5, name: 'dense_flat', kernelInitializer: init(13),
        biasInitializer: init(14)}).apply(flat);
    const both = tfl.layers.concatenate({name: 'concat_dense'}).apply([d1, gap]);
    const rs = tfl.layers.reshape({targetShape: [11], name: 'reshape'}).apply(both);
    const drop = tfl.layers.dropout({rate: 0.3, name: 'dropout'}).apply(rs);
    const d2 = tfl.layers.dense({units: 3, activation: 'softmax', name: 'dense_out',
        kernelInitializer: init(15), biasInitializer: init(16)}).apply(drop);
    const model = tfl.model({inputs: input, outputs: d2, name: 'synthetic'});
    fs.mkdirSync(outDir, {recursive: true});
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
        const manifest = [{paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs}];
        fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify({
            format: 'layers-model', generatedBy: 'tests/reference/tfjs/tfjs_reference.cjs',
            modelTopology: artifacts.modelTopology, weightsManifest: manifest}, null, 1) + '\n');
        fs.writeFileSync(path.join(outDir, 'group1-shard1of1.bin'),
                         Buffer.from(artifacts.weightData));
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    const x = inputImages(2, 10, 12, 3);
    const out = await run(model, x, ['conv_same_s2', 'bn', 'dw_same', 'conv_dilated',
        'maxpool_same', 'avgpool_same', 'add', 'gap', 'reshape'], ['dense_out', 'dropout']);
    out.__input__ = {formula: '((n*131 + h*17 + w*29 + c*7 + h*w) % 256) / 255', shape: x.shape};
    out.__generated_by__ = `tests/reference/tfjs/tfjs_reference.cjs with @tensorflow/tfjs-core ${
        tf.version_core} and tfjs-layers ${tfl.version_layers}, CPU backend`;
    fs.writeFileSync(path.join(outDir, 'reference.json'), JSON.stringify(out, null, 1) + '\n');
}

(async () => {
    await tf.setBackend('cpu');
    const [mode, a, b] = process.argv.slice(2);
    if (mode === 'nsfwjs') await nsfwjs(a, b);
    else if (mode === 'synthetic') await synthetic(a);
    else {
        console.error('usage: tfjs_reference.cjs nsfwjs MODEL_DIR OUT.json | synthetic OUT_DIR');
        process.exit(2);
    }
})().catch((e) => { console.error(e); process.exit(1); });
