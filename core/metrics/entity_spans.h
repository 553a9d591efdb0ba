// Entity spans from BIO-style tag sequences, with seqeval's default (lenient) and strict modes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tb::metrics {

// Default: seqeval's default mode (conlleval-like and lenient: "I-PER" without a preceding
// "B-PER" starts an entity, E-/S- tags are understood, sentences are joined with "O" between).
// Strict: seqeval's mode="strict" with a scheme: only spans that follow the scheme count
// (IOB2: B-X I-X*; IOE2: I-X* E-X; IOBES: B-X I-X* E-X or S-X; BILOU: B-X I-X* L-X or U-X);
// a tag whose prefix the scheme does not allow is an error.
enum class EntityMode { Default, Strict };
enum class TaggingScheme { IOB2, IOE2, IOBES, BILOU };

struct EntityOptions {
    EntityMode mode = EntityMode::Default;
    TaggingScheme scheme = TaggingScheme::IOB2;  // used in strict mode only
};

// A span of tokens [start, end) in sentence `sentence` with entity type `type` ("PER" for
// "B-PER"; "_" for a bare prefix like "B").
struct Entity {
    std::size_t sentence = 0;
    std::string type;
    std::size_t start = 0;
    std::size_t end = 0;  // exclusive
    bool operator<(const Entity& other) const;
    bool operator==(const Entity& other) const;
};

// All entities of the tag sequences (one vector of tags per sentence), in order of position.
// Throws tb::Error naming the sentence, token and tag for an empty tag, and in strict mode for
// a tag whose prefix the scheme does not allow.
std::vector<Entity> extract_entities(const std::vector<std::vector<std::string>>& sentences,
                                     const EntityOptions& options = {});

// "IOB2", "IOE2", "IOBES", "BILOU" (case-insensitive on input; throws tb::Error otherwise);
// "default" / "strict".
std::string scheme_name(TaggingScheme scheme);
TaggingScheme scheme_from_name(const std::string& name);
std::string mode_name(EntityMode mode);
EntityMode mode_from_name(const std::string& name);

}  // namespace tb::metrics
