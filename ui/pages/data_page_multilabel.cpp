// Data page: the multi-label choice of one 0/1 column per label (dataset.label_columns).
#include "document/experiment_document.h"
#include "pages/data_page.h"
#include "util/format.h"
#include "widgets/label_columns_list.h"

namespace tb::ui {

void DataPage::fillLabelColumns() {
    QStringList columns;
    if (m_table)
        for (const auto& c : m_table->columns)
            columns << toQt(c);
    QStringList ticked;
    for (const auto& c : m_document->config().dataset.label_columns)
        ticked << toQt(c);
    m_labelColumns->setColumns(columns, ticked);
    m_labelColumns->setEnabled(m_table != nullptr);
}

}  // namespace tb::ui
