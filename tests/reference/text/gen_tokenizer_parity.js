// Generates tests/fixtures/text/tokenizer_parity.json: ids, offsets and word ids that Hugging
// Face's tokenizers produce for tests/fixtures/text/parity_corpus.json, for tst_tokenizer_parity
// to compare against, with four tokenizers:
//   wordpiece_uncased / wordpiece_cased: tests/fixtures/text/vocab.txt assembled as a BERT
//     tokenizer.json is (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] $A [SEP]);
//   bpe: tests/fixtures/text/bpe_json/tokenizer.json (RoBERTa layout, add_prefix_space false);
//   bpe_prefix_space: the same vocabulary with add_prefix_space true;
//   bpe_gpt2: the same vocabulary framed as GPT-2 is (no special tokens, ByteLevel
//     post-processor without offset trimming).
// Cases: every corpus text alone (with special tokens, no truncation); sentence pairs and
// single texts under truncation (LongestFirst, OnlyFirst, OnlySecond) and padding. (The Node
// binding 0.23.2 rejects pre-tokenized input, so encode_words is tested without it.)
//
// Offsets are what the Node binding returns: code point (Unicode scalar) positions in the
// JavaScript string, not UTF-16 units and not bytes (checked by the emoji cases).
//
// Reference: the npm package `tokenizers` 0.23.2 (Hugging Face's Rust tokenizers library).
// How to run (outside the repository; node >= 18):
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tokref/node_modules node tests/reference/text/gen_tokenizer_parity.js
'use strict';

const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');
const { roberta } = require('./gen_bpe_fixture.js');

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'text');
const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

async function wordpiece(lowercase) {
    const model = await tk.WordPiece.fromFile(path.join(FIXTURES, 'vocab.txt'), {
        unkToken: '[UNK]',
        continuingSubwordPrefix: '##',
        maxInputCharsPerWord: 100,
    });
    const t = new tk.Tokenizer(model);
    t.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true,
                                         stripAccents: lowercase, lowercase }));
    t.setPreTokenizer(tk.bertPreTokenizer());
    t.addSpecialTokens(BERT_SPECIALS);
    const id = (s) => t.tokenToId(s);
    t.setPostProcessor(tk.templateProcessing('[CLS] $A [SEP]', '[CLS] $A [SEP] $B:1 [SEP]:1', [
        ['[CLS]', id('[CLS]')],
        ['[SEP]', id('[SEP]')],
    ]));
    return t;
}

const FACTORIES = {
    wordpiece_uncased: () => wordpiece(true),
    wordpiece_cased: () => wordpiece(false),
    bpe: async () => tk.Tokenizer.fromFile(path.join(FIXTURES, 'bpe_json', 'tokenizer.json')),
    bpe_prefix_space: async () => {
        const vocab = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bpe', 'vocab.json'), 'utf8'));
        const merges = fs.readFileSync(path.join(FIXTURES, 'bpe', 'merges.txt'), 'utf8')
            .split('\n').filter((l) => l && !l.startsWith('#version')).map((l) => l.split(' '));
        return roberta(vocab, merges, true);
    },
    bpe_gpt2: async () => {
        const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bpe_json', 'tokenizer.json'), 'utf8'));
        const u = new tk.Tokenizer(tk.BPE.init(doc.model.vocab, doc.model.merges, {}));
        u.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
        u.setPostProcessor(tk.byteLevelProcessing(false));
        return u;
    },
};
const PAD = { wordpiece_uncased: '[PAD]', wordpiece_cased: '[PAD]', bpe: '<pad>', bpe_prefix_space: '<pad>',
              bpe_gpt2: '<pad>' };

// [a, b (null: single text), max_length (null: none), strategy, pad_to_max]
const TRUNCATION_CASES = [
    [1, 0, 12, 'LongestFirst', false],
    [1, 0, 12, 'LongestFirst', true],
    [0, 1, 9, 'LongestFirst', false],
    [5, 27, 10, 'LongestFirst', true],
    [27, 28, 40, 'LongestFirst', true],
    [28, 27, 8, 'OnlyFirst', false],
    [1, 28, 11, 'OnlySecond', false],
    [36, 37, 15, 'LongestFirst', false],
    [14, 15, null, 'LongestFirst', false],
    [47, 48, null, 'LongestFirst', false],
    [1, null, 6, 'LongestFirst', true],
    [27, null, 5, 'LongestFirst', false],
    [25, null, 4, 'LongestFirst', true],
    [2, 25, 16, 'LongestFirst', true],
];

function encoding_json(e) {
    return {
        ids: e.getIds(),
        type_ids: e.getTypeIds(),
        attention_mask: e.getAttentionMask(),
        offsets: e.getOffsets(),
        word_ids: e.getWordIds().map((w) => (w === null || w === undefined ? -1 : w)),
        sequence_ids: e.getSequenceIds().map((s) => (s === null || s === undefined ? -1 : s)),
        tokens: e.getTokens(),
    };
}

async function main() {
    const corpus = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'parity_corpus.json'), 'utf8'));
    const single = [];
    const truncation = [];
    for (const [name, make] of Object.entries(FACTORIES)) {
        const t = await make();
        for (let i = 0; i < corpus.length; ++i) {
            single.push({ config: name, text: i, ...encoding_json(await t.encode(corpus[i])) });
        }
        for (const [a, b, max_length, strategy, pad] of TRUNCATION_CASES) {
            const u = await make();
            if (max_length !== null) u.setTruncation(max_length, { strategy });
            if (pad) u.setPadding({ maxLength: max_length, padId: u.tokenToId(PAD[name]), padToken: PAD[name] });
            const c = { config: name, a, b, max_length, strategy, pad_to_max: pad };
            try {
                const e = b === null ? await u.encode(corpus[a]) : await u.encode(corpus[a], corpus[b]);
                truncation.push({ ...c, ...encoding_json(e) });
            } catch (err) {  // e.g. OnlyFirst with a first text too short to cut: an error
                truncation.push({ ...c, error: String(err.message || err) });
            }
        }
    }
    const version = require('tokenizers/package.json').version;
    const header = {
        reference: `npm tokenizers ${version} (Hugging Face Rust tokenizers)`,
        generator: 'tests/reference/text/gen_tokenizer_parity.js',
        corpus: 'parity_corpus.json',
        offsets: 'code points',
    };
    const lines = ['{'];
    for (const [k, v] of Object.entries(header)) lines.push(` ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
    const groups = { single, truncation };
    const keys = Object.keys(groups);
    keys.forEach((k, n) => {
        lines.push(` ${JSON.stringify(k)}: [`);
        lines.push(groups[k].map((c) => '  ' + JSON.stringify(c)).join(',\n'));
        lines.push(n + 1 < keys.length ? ' ],' : ' ]');
    });
    lines.push('}');
    fs.writeFileSync(path.join(FIXTURES, 'tokenizer_parity.json'), lines.join('\n') + '\n');
    console.log(`${single.length} single, ${truncation.length} truncation cases`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
