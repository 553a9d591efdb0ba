// Reference for bench/bench_tokenize.cpp: Hugging Face's tokenizers (npm `tokenizers` 0.23.2,
// the Rust library through its Node binding) encodeBatch on the same corpus, same rounds, same
// id hash. Usage: node bench/reference/tokenize.js REPEATS MODEL_DIR... (from the repository
// root; NODE_PATH must reach an installed `tokenizers`, see bench/run_tokenize.sh).
'use strict';

const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

function benchCorpus(repeats) {
    const base = JSON.parse(fs.readFileSync('tests/fixtures/text/parity_corpus.json', 'utf8'));
    const training = fs.readFileSync('tests/fixtures/text/bpe_training_corpus.txt', 'utf8');
    // std::getline semantics: split on '\n', no empty last line after a final newline.
    const lines = training.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    base.push(...lines);
    const texts = [];
    for (let r = 0; r < repeats; ++r) texts.push(...base);
    return texts;
}

function fnv(encodings) {
    let h = 1469598103934665603n;
    const mask = (1n << 64n) - 1n;
    const byte = (c) => { h = ((h ^ BigInt(c)) * 1099511628211n) & mask; };
    for (const e of encodings) {
        const ids = e.getIds();
        ids.forEach((id, i) => {
            if (i > 0) byte(44);
            for (const c of String(id)) byte(c.charCodeAt(0));
        });
        byte(59);
    }
    return h.toString(16).padStart(16, '0');
}

async function main() {
    const [repeatsArg, ...dirs] = process.argv.slice(2);
    const texts = benchCorpus(Math.max(1, parseInt(repeatsArg, 10) || 1));
    for (const dir of dirs) {
        const tokenizer = tk.Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
        let out = null;
        let best = Infinity;
        for (let round = 0; round < 6; ++round) {
            const t0 = process.hrtime.bigint();
            out = await tokenizer.encodeBatch(texts);
            const s = Number(process.hrtime.bigint() - t0) / 1e9;
            if (round > 0) best = Math.min(best, s);
        }
        const tokens = out.reduce((n, e) => n + e.getIds().length, 0);
        console.log(`hf-tokenizers ${dir} texts=${texts.length} tokens=${tokens} ` +
                    `best_s=${best.toFixed(5)} tokens_per_s=${Math.round(tokens / best)} ids_fnv=${fnv(out)}`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
