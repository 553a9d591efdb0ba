// Token-classification sentences as text with entity spans coloured by type (NER preview), or
// word/TAG pairs for plain tag sets such as part-of-speech tags.
#pragma once

#include <QTextBrowser>

#include "data/token_dataset.h"

namespace tb::ui {

class TokenSentenceView : public QTextBrowser {
    Q_OBJECT

public:
    explicit TokenSentenceView(QWidget* parent = nullptr);

    // Shows the first `maxSentences` sentences and a legend of the entity types.
    void setDataset(const tb::data::TokenDataset& dataset, int maxSentences = 60);
    void clearDataset();

    int sentencesShown() const { return m_shown; }
    // Entity types (BIO chunk types) in legend order; empty for plain tag sets.
    QStringList entityTypes() const { return m_types; }
    // The colour of an entity type (stable: same type, same colour).
    static QColor colorForType(const QString& type);

private:
    int m_shown = 0;
    QStringList m_types;
};

}  // namespace tb::ui
