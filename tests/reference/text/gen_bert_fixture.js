// Generates tests/fixtures/text/bert_reference.json: what Hugging Face's own tokenizer makes of
// tricky sentences with tests/fixtures/text/vocab.txt, for tst_bert_tokenizer to compare against.
//
// Reference: the npm package `tokenizers` 0.23.2 (Hugging Face's Rust tokenizers library, Node
// binding; the same engine behind transformers' BertTokenizer(Fast)). It runs offline.
//
// How to run (outside the repository; node >= 18):
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tokref/node_modules node tests/reference/text/gen_bert_fixture.js \
//       tests/fixtures/text/vocab.txt tests/fixtures/text/bert_reference.json \
//       tests/fixtures/text/tokenizer.json
// The optional third argument also saves the "uncased" tokenizer as a tokenizer.json, the form
// in which Hugging Face model folders ship it, for the tokenizer.json loading test.
//
// The tokenizer is assembled like a BERT tokenizer.json: BertNormalizer, BertPreTokenizer,
// WordPiece (unk [UNK], prefix ##, max 100 characters per word), TemplateProcessing
// ([CLS] $A [SEP]) and the five special tokens registered as special added tokens (matched in
// the raw text).
//
// tests/fixtures/text/vocab.txt is written by hand for these texts: specials, ASCII
// punctuation, digits and letters (plain and ##), English words and pieces, accented pieces,
// some CJK ideographs, kana, Hangul syllables and their NFD jamo (what uncased Korean becomes),
// Greek; deliberately no emoji, so emoji become [UNK].
//
// Texts stay out of the few places where the Rust library and the Python (slow) BertTokenizer
// produce different tokens; tst_bert_tokenizer covers those separately, with the behaviour
// tunebench chooses documented there: the CJK range U+2B820..U+2B91F (Rust omits it), NFC
// composition of decomposed input when accents are kept (newer Python versions compose), final
// sigma in lowercase, and unassigned code points (category Cn: Python drops them, Rust keeps
// U+0378).
'use strict';

const fs = require('fs');
const tk = require('tokenizers');

const TEXTS = [
    'Hello, world!',
    'The quick brown fox jumps over the lazy dog.',
    'HELLO World hello WORLD',
    'Café naïve résumé',
    'CAFÉ NAÏVE RÉSUMÉ',
    '我爱北京天安门',
    '我爱Bert和tokenizer',
    '北京is a city 中国人',
    'Wait... what?!?! (yes) [no] {maybe}',
    '$100 + 20% = a lot; #1 @home ^_^ `code` | ~tilde',
    'I love emoji \u{1F600}\u{1F389} ok',
    '\u{1F44D}\u{1F3FD} thumbs',
    'family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} emoji',
    'tab\there\nnewline\r\nend',
    'control\u0001chars\u0007here\u001b[0m',
    'nbsp\u00A0between\u2003em\u3000ideographic',
    'zero\u200Bwidth\uFEFFbom and soft\u00ADhyphen',
    'ab'.repeat(50),
    'a'.repeat(101) + ' ok',
    '',
    '   \t\n  \u00A0 ',
    'こんにちは世界',
    'カタカナ テスト',
    '안녕하세요 세계',
    'unaffable playing tokenization',
    "don't can't won't",
    'U.S.A. e.g. i.e.',
    '«quotes» “curly” ‘single’ — dash – en…',
    '¿Qué tal? ¡Muy bien!',
    'Zürich München straße STRASSE',
    'İstanbul',
    '\uFB01ne ligature \u2460',
    'x\u0000y\uFFFDz',
    '12:30pm, 3.14159 and 1,000,000',
    'email@example.com https://example.com/path?q=1',
    "Mr. O'Neil's café-bar",
    'private\uE000use and \u{F0000} plane 15',
    'CJK ext B \u{20000} and compat \uF900',
    'ab\uF900cd\u{20000}ef\u{2F800}gh\u4E00\u9FFF\u3400ij',
    '混合mixed文字text',
    'a\u0300\u0301\u0302 \u0301abc',
    'ALLCAPS ÀÉÎÕÜ',
    'مرحبا، عالم',
    'สวัสดี',
    'नमस्ते',
    'Paris is the [MASK] of France.',
    '[cls] lower [CLS]x[SEP]y',
    'line\u2028sep\u2029para\u0085nel\u000Bvt\u000Cff',
    'Greek question mark\u037E varia\u1FEF and Ω\u2126 Å\u212B',
];

const CONFIGS = [
    { name: 'uncased', lowercase: true, strip_accents: true, tokenize_chinese_chars: true },
    { name: 'cased', lowercase: false, strip_accents: false, tokenize_chinese_chars: true },
    { name: 'lower_keep_accents', lowercase: true, strip_accents: false, tokenize_chinese_chars: true },
    { name: 'cased_strip_accents', lowercase: false, strip_accents: true, tokenize_chinese_chars: true },
    { name: 'no_chinese_split', lowercase: true, strip_accents: true, tokenize_chinese_chars: false },
];

// [config name, text, max_length, pad]
const ENCODE_CASES = [
    ['uncased', 'The quick brown fox jumps over the lazy dog.', 8, false],
    ['uncased', 'The quick brown fox jumps over the lazy dog.', 64, true],
    ['uncased', 'Hello, world!', 4, true],
    ['uncased', '我爱北京天安门', 6, true],
    ['cased', 'Café naïve résumé', 16, true],
    ['uncased', '', 5, true],
    ['uncased', 'a'.repeat(101) + ' ok', 2, false],
    ['cased', 'Paris is the [MASK] of France.', 7, true],
    ['uncased', 'unaffable playing tokenization', 5, false],
];

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function normalizer_for(cfg) {
    return tk.bertNormalizer({
        cleanText: true,
        handleChineseChars: cfg.tokenize_chinese_chars,
        stripAccents: cfg.strip_accents,
        lowercase: cfg.lowercase,
    });
}

async function tokenizer_for(cfg, vocab_path) {
    const model = await tk.WordPiece.fromFile(vocab_path, {
        unkToken: '[UNK]',
        continuingSubwordPrefix: '##',
        maxInputCharsPerWord: 100,
    });
    const tokenizer = new tk.Tokenizer(model);
    tokenizer.setNormalizer(normalizer_for(cfg));
    tokenizer.setPreTokenizer(tk.bertPreTokenizer());
    tokenizer.addSpecialTokens(SPECIALS);
    const id = (t) => tokenizer.tokenToId(t);
    // The post-processor that bert-base-uncased's own tokenizer.json uses.
    tokenizer.setPostProcessor(
        tk.templateProcessing('[CLS] $A [SEP]', '[CLS] $A [SEP] $B:1 [SEP]:1', [
            ['[CLS]', id('[CLS]')],
            ['[SEP]', id('[SEP]')],
        ]),
    );
    tokenizer.setDecoder(tk.wordPieceDecoder('##', true));
    return tokenizer;
}

async function main() {
    const [vocab_path, out_path, tokenizer_json_path] = process.argv.slice(2);
    if (!vocab_path || !out_path) {
        console.error('usage: gen_bert_fixture.js VOCAB_TXT OUT_JSON [OUT_TOKENIZER_JSON]');
        process.exit(2);
    }
    const pretok = tk.bertPreTokenizer();
    const tokenizers = {};
    for (const cfg of CONFIGS) tokenizers[cfg.name] = await tokenizer_for(cfg, vocab_path);

    const cases = [];
    for (const text of TEXTS) {
        const results = {};
        for (const cfg of CONFIGS) {
            const t = tokenizers[cfg.name];
            // basic: normalizer + pre-tokenizer alone (no special-token extraction), the
            // counterpart of tb::text::basic_tokenize.
            const basic = pretok.preTokenizeString(normalizer_for(cfg).normalizeString(text))
                .map((p) => p[0]);
            const plain = await t.encode(text, null, { addSpecialTokens: false });
            const full = await t.encode(text);
            results[cfg.name] = {
                basic,
                tokens: plain.getTokens(),
                ids: full.getIds(),
            };
        }
        cases.push({ text, results });
    }

    const encode_cases = [];
    for (const [name, text, max_length, pad] of ENCODE_CASES) {
        const cfg = CONFIGS.find((c) => c.name === name);
        const t = await tokenizer_for(cfg, vocab_path);
        t.setTruncation(max_length);
        if (pad) t.setPadding({ maxLength: max_length, padId: t.tokenToId('[PAD]'), padToken: '[PAD]' });
        const e = await t.encode(text);
        encode_cases.push({
            config: name,
            text,
            max_length,
            pad_to_max: pad,
            input_ids: e.getIds(),
            attention_mask: e.getAttentionMask(),
            token_type_ids: e.getTypeIds(),
        });
    }

    if (tokenizer_json_path) tokenizers.uncased.save(tokenizer_json_path, /*pretty=*/ false);

    const version = require('tokenizers/package.json').version;
    const doc = {
        reference: `npm tokenizers ${version} (Hugging Face Rust tokenizers)`,
        generator: 'tests/reference/text/gen_bert_fixture.js',
        vocab: 'vocab.txt',
        configs: CONFIGS,
        cases,
        encode_cases,
    };
    // One case per line keeps the fixture readable and its diffs small.
    const lines = ['{'];
    for (const key of ['reference', 'generator', 'vocab', 'configs']) {
        lines.push(` ${JSON.stringify(key)}: ${JSON.stringify(doc[key])},`);
    }
    for (const key of ['cases', 'encode_cases']) {
        lines.push(` ${JSON.stringify(key)}: [`);
        lines.push(doc[key].map((c) => '  ' + JSON.stringify(c)).join(',\n'));
        lines.push(key === 'cases' ? ' ],' : ' ]');
    }
    lines.push('}');
    fs.writeFileSync(out_path, lines.join('\n') + '\n');
    console.log(`wrote ${cases.length} texts x ${CONFIGS.length} configs, ${encode_cases.length} encodings`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
