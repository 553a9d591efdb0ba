// Seeded train/dev/test split of multi-label examples by iterative stratification.
#pragma once

#include <cstdint>
#include <vector>

#include "data/split.h"

namespace tb::data {

// Iterative stratification (Sechidis, Tsoumakas and Vlahavas, "On the stratification of
// multi-label data", ECML PKDD 2011, Algorithm 1): each split j wants n * f_j examples and
// |D_l| * f_j examples of every label l. Repeatedly take the label with the fewest examples
// still unassigned and give each of its examples (in seeded random order) to the split that
// most wants that label, ties broken by the split wanting more examples overall, then by a
// seeded draw; every label of the example lowers that split's wants. Examples without labels go
// to the split wanting the most examples. Rare labels are thereby placed first, where plain
// random splitting would lose them. `label_sets[i]` are example i's label ids (0..num_labels-1).
// Same input + seed => same split on every platform. Throws tb::Error for bad fractions or a
// label id out of range.
SplitIndices iterative_stratified_split(const std::vector<std::vector<int>>& label_sets,
                                        int num_labels, const SplitFractions& fractions,
                                        std::uint64_t seed);

}  // namespace tb::data
