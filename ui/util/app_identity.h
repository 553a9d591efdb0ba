// The application's name and organisation (where QSettings keeps the user's settings), and the
// one-time move of settings written before the organisation was named.
#pragma once

#include <QString>

namespace tb::ui {

// Sets the organisation ("tunebench") and application ("tunebench") names, so that settings go
// to ~/.config/tunebench/tunebench.conf on Linux, then adopts the settings of earlier versions,
// which named no organisation (~/.config/Unknown Organization/tunebench.conf): they are copied
// once, when the new file has no settings yet; the old file is left as it was. Returns the
// number of settings copied.
int setApplicationIdentity();

}  // namespace tb::ui
