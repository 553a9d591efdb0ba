// Token dataset building: scheme detection over all sentences, transition checks located at the
// offending tag, BIO conversion, the tag map, and sentence-level splits.
#include "data/token_dataset.h"

#include <algorithm>
#include <map>

#include "common/error.h"

namespace tb::data {
namespace {

std::string chunk_type(const std::string& tag, TagScheme scheme) {
    if (scheme == TagScheme::Plain)
        return tag;
    if (tag == "O" || tag.size() < 3 || tag[1] != '-')
        return {};
    return tag.substr(2);
}

LabelMap tag_map_from(const std::vector<RawTokenSentence>& sentences) {
    std::vector<std::string> names;
    bool has_outside = false;
    for (const RawTokenSentence& s : sentences) {
        for (const std::string& tag : s.tags) {
            if (tag == "O")
                has_outside = true;
            else
                names.push_back(tag);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (has_outside)
        names.insert(names.begin(), "O");
    return LabelMap(std::move(names));
}

}  // namespace

std::size_t TokenDataset::token_count() const {
    std::size_t n = 0;
    for (const TokenSentence& s : sentences)
        n += s.tokens.size();
    return n;
}

std::vector<std::size_t> TokenDataset::tag_counts() const {
    std::vector<std::size_t> counts(static_cast<std::size_t>(tags.size()), 0);
    for (const TokenSentence& s : sentences) {
        for (int tag : s.tags)
            ++counts[static_cast<std::size_t>(tag)];
    }
    return counts;
}

TokenDataset build_token_dataset(const TokenFile& file, const TokenDatasetOptions& options,
                                 const LabelMap* tags) {
    if (file.sentences.empty() && file.problems.empty()) {
        throw Error("the file holds no tagged sentence (it is empty or only blank lines)",
                    SourceLocation{file.source, 0, 0, {}});
    }
    TokenDataset dataset;
    dataset.source = file.source;
    dataset.format = file.format;
    dataset.problems = file.problems;

    std::vector<std::vector<std::string>> all_tags;
    all_tags.reserve(file.sentences.size());
    for (const RawTokenSentence& s : file.sentences)
        all_tags.push_back(s.tags);
    dataset.scheme =
        options.scheme == TagScheme::Auto ? detect_tag_scheme(all_tags) : options.scheme;

    std::vector<RawTokenSentence> checked;
    checked.reserve(file.sentences.size());
    for (const RawTokenSentence& raw : file.sentences) {
        RawTokenSentence s = raw;
        for (const TagTransitionIssue& issue : check_tag_transitions(s.tags, dataset.scheme)) {
            std::string message = issue.message;
            if (options.convert_to_bio)
                message += "; it is read as the start of a new chunk";
            dataset.problems.push_back(DataProblem{"invalid_transition", file.source,
                                                   s.lines[issue.index], s.columns[issue.index],
                                                   message});
        }
        if (options.convert_to_bio)
            s.tags = convert_tags_to_bio(s.tags, dataset.scheme);
        checked.push_back(std::move(s));
    }
    dataset.converted_to_bio = options.convert_to_bio && dataset.scheme != TagScheme::Plain;

    dataset.tags = tags != nullptr && tags->size() > 0 ? *tags : tag_map_from(checked);
    for (RawTokenSentence& s : checked) {
        TokenSentence out;
        out.line = s.lines.empty() ? 0 : s.lines.front();
        bool ok = true;
        for (std::size_t i = 0; i < s.tags.size(); ++i) {
            const int id = dataset.tags.index_of(s.tags[i]);
            if (id < 0) {
                dataset.problems.push_back(
                    DataProblem{"unknown_tag", file.source, s.lines[i], s.columns[i],
                                "the tag '" + s.tags[i] + "' is not one of the " +
                                    std::to_string(dataset.tags.size()) +
                                    " tags of the training data; the sentence is left out"});
                ok = false;
                break;
            }
            out.tags.push_back(id);
        }
        if (!ok)
            continue;
        out.tokens = std::move(s.tokens);
        dataset.sentences.push_back(std::move(out));
    }
    std::stable_sort(dataset.problems.begin(), dataset.problems.end(),
                     [](const DataProblem& a, const DataProblem& b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    return dataset;
}

SplitIndices split_sentences(const TokenDataset& dataset, const SplitFractions& fractions,
                             std::uint64_t seed) {
    const TagScheme scheme = dataset.converted_to_bio && dataset.scheme != TagScheme::Plain
                                 ? TagScheme::Bio
                                 : dataset.scheme;
    std::map<std::string, int> group_ids;  // ordered: ids do not depend on sentence order
    std::vector<std::string> groups;
    groups.reserve(dataset.sentences.size());
    for (const TokenSentence& s : dataset.sentences) {
        std::map<std::string, int> counts;
        for (int tag : s.tags) {
            const std::string type = chunk_type(dataset.tags.name(tag), scheme);
            if (!type.empty())
                ++counts[type];
        }
        std::string best;
        int best_count = 0;
        for (const auto& [type, count] : counts) {
            if (count > best_count) {
                best = type;
                best_count = count;
            }
        }
        groups.push_back(best);
        group_ids.emplace(best, 0);
    }
    int next = 0;
    for (auto& [name, id] : group_ids)
        id = next++;
    std::vector<int> labels;
    labels.reserve(groups.size());
    for (const std::string& g : groups)
        labels.push_back(group_ids[g]);
    return stratified_split(labels, fractions, seed);
}

}  // namespace tb::data
