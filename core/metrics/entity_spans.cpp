// Entity extraction: seqeval's lenient chunk rules (default) and its per-scheme automata (strict).
#include "metrics/entity_spans.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "common/error.h"

namespace tb::metrics {
namespace {

// ---- default mode: conlleval-style chunk boundaries -------------------------------------

struct Chunk {
    std::string tag;   // the first character (code point) of the label
    std::string type;  // the rest after its first '-', "_" if empty
};

std::size_t first_code_point_length(const std::string& s) {
    const auto lead = static_cast<unsigned char>(s[0]);
    std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return std::min(n, s.size());
}

Chunk split_label(const std::string& label) {
    Chunk c;
    const auto n = first_code_point_length(label);
    c.tag = label.substr(0, n);
    const auto rest = label.substr(n);
    const auto dash = rest.find('-');
    c.type = dash == std::string::npos ? rest : rest.substr(dash + 1);
    if (c.type.empty())
        c.type = "_";
    return c;
}

bool chunk_ends(const Chunk& prev, const Chunk& cur) {
    const auto& p = prev.tag;
    const auto& t = cur.tag;
    if (p == "E" || p == "S")
        return true;
    if ((p == "B" || p == "I") && (t == "B" || t == "S" || t == "O"))
        return true;
    return p != "O" && p != "." && prev.type != cur.type;
}

bool chunk_starts(const Chunk& prev, const Chunk& cur) {
    const auto& p = prev.tag;
    const auto& t = cur.tag;
    if (t == "B" || t == "S")
        return true;
    if ((p == "E" || p == "S" || p == "O") && (t == "E" || t == "I"))
        return true;
    return t != "O" && t != "." && prev.type != cur.type;
}

std::vector<Entity> default_entities(const std::vector<std::vector<std::string>>& sentences) {
    // Sentences are joined with an "O" after each, exactly as seqeval flattens nested lists,
    // and spans are found in the joined sequence, then mapped back to (sentence, offset).
    std::vector<std::size_t> sentence_start;
    std::vector<Chunk> flat;
    for (const auto& sentence : sentences) {
        sentence_start.push_back(flat.size());
        for (const auto& label : sentence)
            flat.push_back(split_label(label));
        flat.push_back(Chunk{"O", "_"});
    }
    flat.push_back(Chunk{"O", "_"});

    std::vector<Entity> out;
    Chunk prev{"O", ""};
    std::size_t begin = 0;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const auto& cur = flat[i];
        if (chunk_ends(prev, cur)) {
            const auto it = std::upper_bound(sentence_start.begin(), sentence_start.end(), begin);
            const auto s = static_cast<std::size_t>(it - sentence_start.begin()) - 1;
            const auto local = begin - sentence_start[s];
            out.push_back(Entity{s, prev.type, local, local + (i - begin)});
        }
        if (chunk_starts(prev, cur))
            begin = i;
        prev = cur;
    }
    return out;
}

// ---- strict mode: seqeval's scheme automata ----------------------------------------------

enum Prefix : unsigned { I = 1, O = 2, B = 4, E = 8, S = 16, U = 32, L = 64, ANY = 127 };
enum TagCond : unsigned { SAME = 1, DIFF = 2, ANY_TAG = 3 };

struct Pattern {
    unsigned prev;     // Prefix mask of the previous token
    unsigned current;  // Prefix mask of the current token
    unsigned tag;      // TagCond mask: same / different entity type as the previous token
};

struct Scheme {
    unsigned allowed;
    std::vector<Pattern> start, inside, end;
};

const Scheme& scheme_rules(TaggingScheme scheme) {
    static const Scheme iob2{I | O | B,
                             {{ANY, B, ANY_TAG}},
                             {{B, I, SAME}, {I, I, SAME}},
                             {{I, O, ANY_TAG},
                              {I, I, DIFF},
                              {I, B, ANY_TAG},
                              {B, O, ANY_TAG},
                              {B, I, DIFF},
                              {B, B, ANY_TAG}}};
    static const Scheme ioe2{I | O | E,
                             {{O, I, ANY_TAG},
                              {O, E, ANY_TAG},
                              {E, I, ANY_TAG},
                              {E, E, ANY_TAG},
                              {I, I, DIFF},
                              {I, E, DIFF}},
                             {{I, E, SAME}, {I, I, SAME}},
                             {{E, ANY, ANY_TAG}}};
    static const Scheme iobes{I | O | B | E | S,
                              {{ANY, B, ANY_TAG}, {ANY, S, ANY_TAG}},
                              {{B, I, SAME}, {B, E, SAME}, {I, I, SAME}, {I, E, SAME}},
                              {{S, ANY, ANY_TAG}, {E, ANY, ANY_TAG}}};
    static const Scheme bilou{B | I | L | O | U,
                              {{ANY, B, ANY_TAG}, {ANY, U, ANY_TAG}},
                              {{B, I, SAME}, {B, L, SAME}, {I, I, SAME}, {I, L, SAME}},
                              {{U, ANY, ANY_TAG}, {L, ANY, ANY_TAG}}};
    switch (scheme) {
        case TaggingScheme::IOE2:
            return ioe2;
        case TaggingScheme::IOBES:
            return iobes;
        case TaggingScheme::BILOU:
            return bilou;
        default:
            return iob2;
    }
}

struct StrictToken {
    unsigned prefix = O;
    std::string type = "_";
};

unsigned prefix_bit(char c) {
    switch (c) {
        case 'I':
            return I;
        case 'O':
            return O;
        case 'B':
            return B;
        case 'E':
            return E;
        case 'S':
            return S;
        case 'U':
            return U;
        case 'L':
            return L;
        default:
            return 0;
    }
}

std::string allowed_text(unsigned mask) {
    std::string out;
    for (char c : std::string("IOBESUL"))
        if (mask & prefix_bit(c))
            out += (out.empty() ? "" : ", ") + std::string(1, c);
    return out;
}

bool matches(const std::vector<Pattern>& patterns, const StrictToken& prev,
             const StrictToken& cur) {
    const unsigned relation = prev.type == cur.type ? SAME : DIFF;
    for (const auto& p : patterns)
        if ((p.prev & prev.prefix) && (p.current & cur.prefix) && (p.tag & relation))
            return true;
    return false;
}

std::vector<Entity> strict_entities(const std::vector<std::vector<std::string>>& sentences,
                                    TaggingScheme scheme) {
    const auto& rules = scheme_rules(scheme);
    std::vector<Entity> out;
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        std::vector<StrictToken> tokens;
        for (std::size_t t = 0; t < sentences[s].size(); ++t) {
            const auto& label = sentences[s][t];
            StrictToken token;
            token.prefix = prefix_bit(label[0]);
            if (!(token.prefix & rules.allowed))
                throw Error(
                    "tag '" + label + "' (sentence " + std::to_string(s + 1) + ", token " +
                        std::to_string(t + 1) + ") is not valid in the " + scheme_name(scheme) +
                        " scheme; allowed prefixes: " + allowed_text(rules.allowed),
                    SourceLocation{{}, static_cast<long>(s + 1), static_cast<long>(t + 1), "tags"});
            const auto first = label.find_first_not_of('-', 1);
            const auto last = label.find_last_not_of('-');
            if (first != std::string::npos && last >= first)
                token.type = label.substr(first, last - first + 1);
            tokens.push_back(token);
        }
        tokens.push_back(StrictToken{});  // the closing "O"

        std::size_t i = 0;
        StrictToken prev;  // "O" before the sentence
        while (i < tokens.size()) {
            if (matches(rules.start, prev, tokens[i])) {
                std::size_t end = i + 1;
                while (end < tokens.size() && matches(rules.inside, tokens[end - 1], tokens[end]))
                    ++end;
                if (end < tokens.size() && matches(rules.end, tokens[end - 1], tokens[end]))
                    out.push_back(Entity{s, tokens[i].type, i, end});
                i = end;
            } else {
                ++i;
            }
            prev = tokens[i - 1];
        }
    }
    return out;
}

std::string upper(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

bool Entity::operator<(const Entity& o) const {
    return std::tie(sentence, start, end, type) < std::tie(o.sentence, o.start, o.end, o.type);
}

bool Entity::operator==(const Entity& o) const {
    return sentence == o.sentence && start == o.start && end == o.end && type == o.type;
}

std::vector<Entity> extract_entities(const std::vector<std::vector<std::string>>& sentences,
                                     const EntityOptions& options) {
    for (std::size_t s = 0; s < sentences.size(); ++s)
        for (std::size_t t = 0; t < sentences[s].size(); ++t)
            if (sentences[s][t].empty())
                throw Error(
                    "empty tag (sentence " + std::to_string(s + 1) + ", token " +
                        std::to_string(t + 1) + "); use O for tokens outside entities",
                    SourceLocation{{}, static_cast<long>(s + 1), static_cast<long>(t + 1), "tags"});
    return options.mode == EntityMode::Strict ? strict_entities(sentences, options.scheme)
                                              : default_entities(sentences);
}

std::string scheme_name(TaggingScheme scheme) {
    switch (scheme) {
        case TaggingScheme::IOE2:
            return "IOE2";
        case TaggingScheme::IOBES:
            return "IOBES";
        case TaggingScheme::BILOU:
            return "BILOU";
        default:
            return "IOB2";
    }
}

TaggingScheme scheme_from_name(const std::string& name) {
    const auto u = upper(name);
    for (auto s :
         {TaggingScheme::IOB2, TaggingScheme::IOE2, TaggingScheme::IOBES, TaggingScheme::BILOU})
        if (scheme_name(s) == u)
            return s;
    throw Error("unknown tagging scheme '" + name + "'; use IOB2, IOE2, IOBES or BILOU",
                SourceLocation{{}, 0, 0, "scheme"});
}

std::string mode_name(EntityMode mode) {
    return mode == EntityMode::Strict ? "strict" : "default";
}

EntityMode mode_from_name(const std::string& name) {
    if (name == "default")
        return EntityMode::Default;
    if (name == "strict")
        return EntityMode::Strict;
    throw Error("unknown entity mode '" + name + "'; use default or strict",
                SourceLocation{{}, 0, 0, "mode"});
}

}  // namespace tb::metrics
