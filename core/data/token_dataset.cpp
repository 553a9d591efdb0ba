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
    for (const RawTokenSentence& s : sentences)
        names.insert(names.end(), s.tags.begin(), s.tags.end());
    return tag_map_from_names(std::move(names));
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

    if (options.scheme == TagScheme::Auto) {
        TagSchemeEvidence evidence;
        for (const RawTokenSentence& s : file.sentences)
            evidence.add(s.tags);
        dataset.scheme = evidence.scheme();
    } else {
        dataset.scheme = options.scheme;
    }

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

LabelMap tag_map_from_names(std::vector<std::string> names) {
    const auto outside = std::remove(names.begin(), names.end(), std::string("O"));
    const bool has_outside = outside != names.end();
    names.erase(outside, names.end());
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (has_outside)
        names.insert(names.begin(), "O");
    return LabelMap(std::move(names));
}

std::string sentence_split_group(const TokenDataset& dataset, std::size_t sentence) {
    const TagScheme scheme = dataset.converted_to_bio && dataset.scheme != TagScheme::Plain
                                 ? TagScheme::Bio
                                 : dataset.scheme;
    std::map<std::string, int> counts;
    for (int tag : dataset.sentences[sentence].tags) {
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
    return best;
}

SplitIndices split_sentence_groups(const std::vector<int>& group_ids,
                                   const std::vector<std::string>& group_names,
                                   const SplitFractions& fractions, std::uint64_t seed) {
    // Strata numbered by sorted name: ids do not depend on sentence order.
    std::vector<int> order(group_names.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return group_names[std::size_t(a)] < group_names[std::size_t(b)];
    });
    std::vector<int> rank(group_names.size(), 0);
    for (std::size_t r = 0; r < order.size(); ++r)
        rank[std::size_t(order[r])] = static_cast<int>(r);
    std::vector<int> labels;
    labels.reserve(group_ids.size());
    for (int id : group_ids)
        labels.push_back(rank[std::size_t(id)]);
    return stratified_split(labels, fractions, seed);
}

SplitIndices split_sentences(const TokenDataset& dataset, const SplitFractions& fractions,
                             std::uint64_t seed) {
    std::map<std::string, int> ids;
    std::vector<std::string> names;
    std::vector<int> groups;
    groups.reserve(dataset.sentences.size());
    for (std::size_t i = 0; i < dataset.sentences.size(); ++i) {
        const auto [it, added] =
            ids.emplace(sentence_split_group(dataset, i), static_cast<int>(names.size()));
        if (added)
            names.push_back(it->first);
        groups.push_back(it->second);
    }
    return split_sentence_groups(groups, names, fractions, seed);
}

}  // namespace tb::data
