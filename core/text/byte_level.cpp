// GPT-2's byte <-> printable character table.
#include "text/byte_level.h"

#include "text/utf8.h"

namespace tb::text {

const std::array<std::string, 256>& byte_level_alphabet() {
    static const std::array<std::string, 256> table = [] {
        std::array<std::string, 256> out;
        auto printable = [](int b) {
            return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        };
        char32_t next = 0x100;
        for (int b = 0; b < 256; ++b) {
            append_utf8(out[b], printable(b) ? static_cast<char32_t>(b) : next++);
        }
        return out;
    }();
    return table;
}

}  // namespace tb::text
