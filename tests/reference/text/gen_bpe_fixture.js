// Generates the small byte-level BPE model of the tokenizer tests, in both forms Hugging Face
// model folders ship it:
//   tests/fixtures/text/bpe/vocab.json + merges.txt (+ tokenizer_config.json, written by hand)
//   tests/fixtures/text/bpe_json/tokenizer.json (RoBERTa layout: ByteLevel pre-tokenizer,
//   BPE model, RobertaProcessing, special added tokens with <mask> stripping on the left)
//
// Reference: the npm package `tokenizers` 0.23.2 (Hugging Face's Rust tokenizers, Node binding).
// Its BPE trainer learns merges on tests/fixtures/text/bpe_training_corpus.txt (the Gettysburg
// Address, public domain, plus sentences written for tunebench) after ByteLevel
// pre-tokenization, as RoBERTa's and GPT-2's vocabularies were made. The node binding exposes
// only the default trainer (no vocabulary size), so the first MAX_MERGES merges are kept: BPE
// training is greedy, so they are what a trainer with a smaller vocabulary size would learn.
// The vocabulary is then RoBERTa's special tokens (<s> <pad> </s> <unk> <mask>, ids 0-4), all
// 256 byte symbols (so every text is encodable), then the merged symbols in merge order.
//
// How to run (outside the repository; node >= 18):
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tokref/node_modules node tests/reference/text/gen_bpe_fixture.js
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const tk = require('tokenizers');

const MAX_MERGES = 600;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'text');
const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];

// The RoBERTa tokenizer for a vocabulary and merge list, as transformers' RobertaTokenizerFast
// builds it: add_prefix_space false, trim_offsets true, <mask> strips spaces on its left.
function roberta(vocab, merges, add_prefix_space) {
    const tokenizer = new tk.Tokenizer(tk.BPE.init(vocab, merges, {}));
    tokenizer.setPreTokenizer(tk.byteLevelPreTokenizer(add_prefix_space, true));
    tokenizer.addAddedTokens(
        SPECIALS.map((t) => new tk.AddedToken(t, true, { leftStrip: t === '<mask>', normalized: false })),
    );
    tokenizer.setPostProcessor(
        tk.robertaProcessing(['</s>', vocab['</s>']], ['<s>', vocab['<s>']], true, add_prefix_space),
    );
    return tokenizer;
}

function main() {
    const trainer_model = new tk.Tokenizer(tk.BPE.empty());
    trainer_model.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
    trainer_model.train([path.join(FIXTURES, 'bpe_training_corpus.txt')]);
    const scratch = path.join(os.tmpdir(), 'tunebench_bpe_trained.json');
    trainer_model.save(scratch, false);
    const trained = JSON.parse(fs.readFileSync(scratch, 'utf8'));
    const merges = trained.model.merges
        .map((m) => (Array.isArray(m) ? m : m.split(' ')))
        .slice(0, MAX_MERGES);

    const vocab = {};
    const add = (token) => {
        if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
    };
    SPECIALS.forEach(add);
    tk.byteLevelAlphabet().sort((a, b) => a.codePointAt(0) - b.codePointAt(0)).forEach(add);
    merges.forEach(([a, b]) => add(a + b));

    const bpe_dir = path.join(FIXTURES, 'bpe');
    fs.mkdirSync(bpe_dir, { recursive: true });
    fs.writeFileSync(path.join(bpe_dir, 'vocab.json'), JSON.stringify(vocab) + '\n');
    fs.writeFileSync(
        path.join(bpe_dir, 'merges.txt'),
        '#version: 0.2\n' + merges.map(([a, b]) => `${a} ${b}`).join('\n') + '\n',
    );
    const json_dir = path.join(FIXTURES, 'bpe_json');
    fs.mkdirSync(json_dir, { recursive: true });
    roberta(vocab, merges, false).save(path.join(json_dir, 'tokenizer.json'), true);
    console.log(`vocabulary ${Object.keys(vocab).length} tokens, ${merges.length} merges`);
}

module.exports = { roberta, SPECIALS };
if (require.main === module) main();
