// Chunk tagging schemes for token classification (IOB1, BIO/IOB2, IOBES): detection, transition
// checks and conversion to BIO.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tb::data {

// Plain: tags without B-/I-/E-/S- prefixes (e.g. part-of-speech tags); every tag is its own
// class and there are no transitions to check.
enum class TagScheme { Auto, Plain, Iob1, Bio, Iobes };

// "auto", "plain", "iob1", "bio" (also "iob2"), "iobes"; throws tb::Error otherwise.
TagScheme tag_scheme_from_name(const std::string& name);
std::string tag_scheme_name(TagScheme scheme);

// Reads the scheme off the tags of all sentences:
// - a tag that is neither "O" nor "<B|I|E|S>-<type>" => Plain;
// - any E- or S- tag => Iobes;
// - some I- tag starting a chunk (after O, at sentence start, or after another type) and no
//   B- tag starting one => Iob1 (B- then only separates two adjacent chunks of one type);
// - otherwise Bio (I- tags that start chunks are then reported as invalid transitions).
// No sentences or only "O" tags => Bio.
TagScheme detect_tag_scheme(const std::vector<std::vector<std::string>>& sentences);

// detect_tag_scheme as a fold, for readers that see the sentences a chunk at a time:
// add() every sentence in any grouping, scheme() is what detect_tag_scheme over all of them
// returns. The evidence only grows (a flag once set stays set), so the scheme changes at most a
// few times as sentences are added.
class TagSchemeEvidence {
public:
    void add(const std::vector<std::string>& tags);
    TagScheme scheme() const;

private:
    bool plain_ = false;
    bool end_or_single_ = false;
    bool inside_starts_ = false;
    bool begin_starts_ = false;
};

// One invalid transition: the tag at `index` in its sentence, and a sentence that says what is
// wrong and what the tag would have to be.
struct TagTransitionIssue {
    std::size_t index = 0;
    std::string message;
};

// Checks one sentence against `scheme` (not Auto). BIO: I-X must follow B-X or I-X. IOB1: B-X
// must follow I-X or B-X. IOBES: B-X opens a chunk that I-X continues and E-X closes; S-X and O
// only outside a chunk; a chunk open at the end of the sentence is reported at its last tag.
// Tags that do not fit the scheme at all (e.g. "E-PER" in BIO) are reported too.
std::vector<TagTransitionIssue> check_tag_transitions(const std::vector<std::string>& tags,
                                                      TagScheme scheme);

// Converts one sentence to BIO: IOB1 chunk-initial I-X -> B-X; IOBES S-X -> B-X, E-X -> I-X;
// BIO's invalid I-X (after O or another type) -> B-X, the usual repair (seqeval does the same).
// Plain tags are returned unchanged.
std::vector<std::string> convert_tags_to_bio(const std::vector<std::string>& tags,
                                             TagScheme scheme);

}  // namespace tb::data
