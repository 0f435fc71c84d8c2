#include "filter_bar.h"

#include "profile_document.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace hprof::viewer {

namespace {

QToolButton* buttonFor(QAction* action, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

FilterBar::FilterBar(ProfileDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), description_(new QLabel(this)) {
    back_ = new QAction(tr("Back"), this);
    back_->setShortcut(QKeySequence::Undo);
    back_->setToolTip(tr("The previous filter (Ctrl+Z)"));
    forward_ = new QAction(tr("Forward"), this);
    forward_->setShortcut(QKeySequence::Redo);
    forward_->setToolTip(tr("The next filter (Ctrl+Shift+Z)"));
    reset_ = new QAction(tr("Reset"), this);
    reset_->setToolTip(tr("Everything: no filter"));
    connect(back_, &QAction::triggered, document_, &ProfileDocument::back);
    connect(forward_, &QAction::triggered, document_, &ProfileDocument::forward);
    connect(reset_, &QAction::triggered, document_, &ProfileDocument::resetFilter);
    connect(document_, &ProfileDocument::historyChanged, this, &FilterBar::refresh);
    connect(document_, &ProfileDocument::ready, this, &FilterBar::refresh);

    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(new QLabel(tr("<b>Filter:</b>"), this));
    layout->addWidget(description_, 1);
    layout->addWidget(buttonFor(back_, this));
    layout->addWidget(buttonFor(forward_, this));
    layout->addWidget(buttonFor(reset_, this));
    refresh();
}

void FilterBar::refresh() {
    description_->setText(document_->filterDescription());
    back_->setEnabled(document_->canGoBack());
    forward_->setEnabled(document_->canGoForward());
    reset_->setEnabled(document_->profile() && !(document_->filter() == SampleFilter{}));
}

} // namespace hprof::viewer
