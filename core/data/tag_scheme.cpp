// Tag scheme detection, validation and BIO conversion. A tag is "O" or "<P>-<type>" with P one of
// B, I, E, S; the type may itself contain '-' (e.g. "B-ORG-GPE").
#include "data/tag_scheme.h"

#include "common/error.h"

namespace tb::data {
namespace {

struct Tag {
    char prefix = 'O';  // 'O', 'B', 'I', 'E', 'S'; 0 = not a chunk tag
    std::string type;
};

Tag parse_tag(const std::string& tag) {
    if (tag == "O")
        return Tag{'O', {}};
    if (tag.size() >= 3 && tag[1] == '-' &&
        (tag[0] == 'B' || tag[0] == 'I' || tag[0] == 'E' || tag[0] == 'S')) {
        return Tag{tag[0], tag.substr(2)};
    }
    return Tag{0, {}};
}

// Type of the chunk the previous tag leaves open for a continuation, or "" for none.
bool continues(const Tag& previous, const Tag& current) {
    return (previous.prefix == 'B' || previous.prefix == 'I') && previous.type == current.type;
}

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

std::string previous_text(const std::vector<std::string>& tags, std::size_t i) {
    return i == 0 ? "at the start of the sentence" : "after " + quoted(tags[i - 1]);
}

}  // namespace

TagScheme tag_scheme_from_name(const std::string& name) {
    if (name == "auto")
        return TagScheme::Auto;
    if (name == "plain")
        return TagScheme::Plain;
    if (name == "iob1")
        return TagScheme::Iob1;
    if (name == "bio" || name == "iob2")
        return TagScheme::Bio;
    if (name == "iobes")
        return TagScheme::Iobes;
    throw Error("unknown tag scheme '" + name +
                "'; expected one of: auto, plain, iob1, bio (or iob2), iobes");
}

std::string tag_scheme_name(TagScheme scheme) {
    switch (scheme) {
        case TagScheme::Auto:
            return "auto";
        case TagScheme::Plain:
            return "plain";
        case TagScheme::Iob1:
            return "iob1";
        case TagScheme::Bio:
            return "bio";
        case TagScheme::Iobes:
            return "iobes";
    }
    return "auto";
}

void TagSchemeEvidence::add(const std::vector<std::string>& tags) {
    if (plain_)
        return;
    Tag previous;
    for (const std::string& text : tags) {
        const Tag tag = parse_tag(text);
        if (tag.prefix == 0) {
            plain_ = true;
            return;
        }
        if (tag.prefix == 'E' || tag.prefix == 'S')
            end_or_single_ = true;
        if (tag.prefix == 'I' && !continues(previous, tag))
            inside_starts_ = true;
        if (tag.prefix == 'B' && !continues(previous, tag))
            begin_starts_ = true;
        previous = tag;
    }
}

TagScheme TagSchemeEvidence::scheme() const {
    if (plain_)
        return TagScheme::Plain;
    if (end_or_single_)
        return TagScheme::Iobes;
    if (inside_starts_ && !begin_starts_)
        return TagScheme::Iob1;
    return TagScheme::Bio;
}

TagScheme detect_tag_scheme(const std::vector<std::vector<std::string>>& sentences) {
    TagSchemeEvidence evidence;
    for (const auto& tags : sentences)
        evidence.add(tags);
    return evidence.scheme();
}

std::vector<TagTransitionIssue> check_tag_transitions(const std::vector<std::string>& tags,
                                                      TagScheme scheme) {
    std::vector<TagTransitionIssue> issues;
    if (scheme == TagScheme::Plain || scheme == TagScheme::Auto)
        return issues;
    const std::string name = tag_scheme_name(scheme);
    Tag previous;
    std::string open;  // IOBES: type of the chunk opened by B- and not yet closed by E-
    bool is_open = false;
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const Tag tag = parse_tag(tags[i]);
        auto report = [&](const std::string& why) {
            issues.push_back(TagTransitionIssue{i, quoted(tags[i]) + " " + previous_text(tags, i) +
                                                       " is not valid " + name + ": " + why});
        };
        if (tag.prefix == 0) {
            issues.push_back(TagTransitionIssue{
                i, quoted(tags[i]) + " is not a " + name + " tag; tags must be 'O' or B-/I-" +
                       std::string(scheme == TagScheme::Iobes ? "/E-/S-" : "") + " plus a type"});
            previous = tag;
            continue;
        }
        if (scheme != TagScheme::Iobes && (tag.prefix == 'E' || tag.prefix == 'S')) {
            report("E- and S- tags belong to IOBES; set tag_scheme: iobes or use B-/I-");
            previous = tag;
            continue;
        }
        if (scheme == TagScheme::Bio && tag.prefix == 'I' && !continues(previous, tag)) {
            report("an I- tag must continue a chunk of the same type; use B-" + tag.type +
                   " to start one");
        } else if (scheme == TagScheme::Iob1 && tag.prefix == 'B' && !continues(previous, tag)) {
            report("in IOB1, B- only separates two adjacent chunks of the same type; use I-" +
                   tag.type);
        } else if (scheme == TagScheme::Iobes) {
            if (tag.prefix == 'B' || tag.prefix == 'S' || tag.prefix == 'O') {
                if (is_open)
                    report("the " + open + " chunk opened before it is not closed with E-" + open);
                is_open = tag.prefix == 'B';
                open = tag.type;
            } else if (!is_open || open != tag.type) {  // I- or E-
                report("an " + std::string(1, tag.prefix) +
                       "- tag must continue a chunk opened "
                       "with B-" +
                       tag.type);
                is_open = tag.prefix == 'I';
                open = tag.type;
            } else if (tag.prefix == 'E') {
                is_open = false;
            }
        }
        previous = tag;
    }
    if (scheme == TagScheme::Iobes && is_open && !tags.empty()) {
        issues.push_back(TagTransitionIssue{
            tags.size() - 1, "the sentence ends inside a " + open + " chunk; close it with E-" +
                                 open + " (or use S-" + open + " for a one-token chunk)"});
    }
    return issues;
}

std::vector<std::string> convert_tags_to_bio(const std::vector<std::string>& tags,
                                             TagScheme scheme) {
    if (scheme == TagScheme::Plain || scheme == TagScheme::Auto)
        return tags;
    std::vector<std::string> out;
    out.reserve(tags.size());
    Tag previous;  // the converted previous tag
    for (const std::string& text : tags) {
        Tag tag = parse_tag(text);
        if (tag.prefix == 'S')
            tag.prefix = 'B';
        else if (tag.prefix == 'E')
            tag.prefix = 'I';
        // IOBES B- after an unclosed chunk of the same type still starts a new chunk: keep B-.
        if (tag.prefix == 'I' && !continues(previous, tag))
            tag.prefix = 'B';
        out.push_back(tag.prefix == 0     ? text
                      : tag.prefix == 'O' ? std::string("O")
                                          : std::string(1, tag.prefix) + "-" + tag.type);
        previous = tag;
    }
    return out;
}

}  // namespace tb::data
