// Image-classification preview: one row per class with its name, its number of images and the
// first few thumbnails.
#include "views/image_grid_view.h"

#include <QGridLayout>
#include <QLabel>
#include <QPixmap>

namespace tb::ui {

ImageGridView::ImageGridView(QWidget* parent) : QScrollArea(parent) {
    setWidgetResizable(true);
    clearClasses();
}

void ImageGridView::clearClasses() {
    setClasses({});
}

void ImageGridView::setClasses(const QVector<ClassThumbnails>& classes) {
    auto* content = new QWidget(this);
    auto* grid = new QGridLayout(content);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(8);
    m_classes = classes.size();
    m_thumbnails = 0;
    int row = 0;
    for (const ClassThumbnails& c : classes) {
        auto* name = new QLabel(tr("<b>%1</b><br><span style=\"color:#5f6368\">%2 images</span>")
                                    .arg(c.name.toHtmlEscaped())
                                    .arg(c.count),
                                content);
        name->setMinimumWidth(120);
        grid->addWidget(name, row, 0, Qt::AlignLeft | Qt::AlignVCenter);
        int column = 1;
        for (const QImage& image : c.images) {
            auto* thumb = new QLabel(content);
            thumb->setPixmap(QPixmap::fromImage(image));
            thumb->setFrameShape(QFrame::StyledPanel);
            grid->addWidget(thumb, row, column++);
            ++m_thumbnails;
        }
        ++row;
    }
    grid->setColumnStretch(grid->columnCount(), 1);
    grid->setRowStretch(row, 1);
    setWidget(content);  // deletes the previous content
}

}  // namespace tb::ui
