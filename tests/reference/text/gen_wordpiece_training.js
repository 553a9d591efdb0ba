// Generates tests/fixtures/text/wordpiece_training_reference.json: what Hugging Face's
// WordPiece trainer makes of tests/fixtures/text/wordpiece_training_corpus.txt, for
// tst_wordpiece_trainer to compare tunebench's trainer against.
//
// Reference: the npm package `tokenizers` 0.23.2 (Hugging Face's Rust tokenizers library, Node
// binding). Its only training entry point is Tokenizer.train(files) with the model's default
// trainer: WordPieceTrainer with vocab_size 30000, min_frequency 0, no special tokens, no
// alphabet limit, prefix "##". The normaliser is BertNormalizer (clean text, Chinese characters
// split, lowercase, accents stripped) and the pre-tokeniser BertPreTokenizer, as in BERT.
//
// The Rust trainer meets words in hash-map order, which is seeded per process: the ids of the
// "##" pieces, and therefore the tie-breaks between equally frequent pairs, differ from run to
// run, and so do a few tokens and the vocabulary size. The script therefore trains RUNS times
// and records the alphabet (deterministic: code point order), the tokens present in every run,
// the tokens present in any run, the size range, and each run's tokenization of the held-out
// texts (tests/fixtures/text/wordpiece_heldout.txt).
//
// How to run (outside the repository; node >= 18):
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tokref/node_modules node tests/reference/text/gen_wordpiece_training.js \
//       tests/fixtures/text/wordpiece_training_corpus.txt tests/fixtures/text/wordpiece_heldout.txt \
//       tests/fixtures/text/wordpiece_training_reference.json
'use strict';

const fs = require('fs');
const tk = require('tokenizers');

const RUNS = 30;
const [corpus, heldoutPath, outPath] = process.argv.slice(2);
const heldout = fs.readFileSync(heldoutPath, 'utf8').split('\n').filter((l) => l.length > 0);

function trainOnce() {
    const t = new tk.Tokenizer(tk.WordPiece.init({}, {unkToken: '[UNK]'}));
    t.setNormalizer(tk.bertNormalizer({cleanText: true, handleChineseChars: true,
                                       lowercase: true}));
    t.setPreTokenizer(tk.bertPreTokenizer());
    t.train([corpus]);
    const vocab = Object.entries(t.getVocab(false)).sort((a, b) => a[1] - b[1]).map((e) => e[0]);
    return {t, vocab};
}

async function main() {
    let always = null;
    const ever = new Set();
    const sizes = [];
    const tokenizations = [];
    let alphabet = null;
    for (let run = 0; run < RUNS; ++run) {
        const {t, vocab} = trainOnce();
        sizes.push(vocab.length);
        const set = new Set(vocab);
        vocab.forEach((v) => ever.add(v));
        always = always === null ? set : new Set([...always].filter((v) => set.has(v)));
        const firstPrefixed = vocab.findIndex((v) => v.startsWith('##'));
        const thisAlphabet = vocab.slice(0, firstPrefixed);
        if (alphabet !== null && JSON.stringify(alphabet) !== JSON.stringify(thisAlphabet)) {
            throw new Error('the alphabet differs between runs');
        }
        alphabet = thisAlphabet;
        // The trained vocabulary has no [UNK] (no special tokens); the held-out texts are
        // tokenized with it plus [UNK] at the end, the same normaliser and pre-tokeniser.
        const withUnk = {};
        vocab.forEach((v, i) => { withUnk[v] = i; });
        withUnk['[UNK]'] = vocab.length;
        const enc_t = new tk.Tokenizer(tk.WordPiece.init(withUnk, {unkToken: '[UNK]'}));
        enc_t.setNormalizer(t.getNormalizer());
        enc_t.setPreTokenizer(t.getPreTokenizer());
        const runTokens = [];
        for (const text of heldout) {
            const enc = await enc_t.encode(text);
            runTokens.push(enc.getTokens());
        }
        tokenizations.push(runTokens);
    }
    const out = {
        generator: 'tokenizers 0.23.2 (npm), Tokenizer.train with the default WordPieceTrainer',
        runs: RUNS,
        vocab_sizes: sizes,
        alphabet,
        always: [...always].sort(),
        ever: [...ever].sort(),
        heldout,
        tokenizations,
    };
    fs.writeFileSync(outPath, JSON.stringify(out, null, 1) + '\n');
    console.log(`sizes ${Math.min(...sizes)}..${Math.max(...sizes)}, always ${always.size}, ` +
                `ever ${ever.size}`);
}

main();
