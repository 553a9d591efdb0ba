// De-identification at import: masks e-mail addresses, URLs, IP addresses, phone numbers and
// long digit runs in text with typed placeholders, counting each kind.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tb::data {

struct DeidentifyCounts {
    std::size_t email = 0;  // [EMAIL]
    std::size_t url = 0;    // [URL]
    std::size_t ip = 0;     // [IP]    IPv4 dotted quads and IPv6 addresses
    std::size_t phone = 0;  // [PHONE]
    std::size_t id = 0;     // [ID]    long digit runs: account numbers, card numbers, IDs
    std::size_t total() const { return email + url + ip + phone + id; }
    DeidentifyCounts& operator+=(const DeidentifyCounts& other);
};

struct DeidentifyOptions {
    // A run of at least this many digits (spaces or '-' between groups of 4 allowed for card
    // numbers) that is not a phone number is masked as [ID].
    std::size_t min_id_digits = 9;
};

// Returns `text` (UTF-8) with every match replaced by its placeholder and adds the matches to
// `counts` when given. Matching is by hand-written scanners, in this order so that a longer
// kind wins: URL (scheme:// or www.), e-mail, IPv4/IPv6, phone, ID. Rules, chosen to avoid the
// usual false positives:
// - phone: 7-15 digits in groups separated by single spaces, '-', '.' or parentheses, either
//   starting with '+' or with at least one separator, and not shaped like a date (2024-01-15,
//   15.01.2024) or a version (1.2.3); '.'-separated phones must look like 555.123.4567. An
//   11-digit mainland China mobile number (1[3-9]xxxxxxxxx) without separators is a phone too.
// - IPv4: four dot-separated numbers 0-255 not next to another digit or dot-digit; IPv6: hex
//   groups with either 8 groups or one "::" (so 12:30:45 is a time, not an address).
// - numbers are only matched when not glued to ASCII letters or digits on either side.
// Dates, times, version numbers, prices and numbers under `min_id_digits` digits stay.
std::string deidentify(const std::string& text, DeidentifyCounts* counts = nullptr,
                       const DeidentifyOptions& options = {});

// Applies deidentify to every cell of `rows` in the given columns (all columns when empty), in
// place on the in-memory copy; the file on disk is never touched. Returns the counts.
DeidentifyCounts deidentify_rows(std::vector<std::vector<std::string>>& rows,
                                 const std::vector<std::size_t>& columns = {},
                                 const DeidentifyOptions& options = {});

}  // namespace tb::data
