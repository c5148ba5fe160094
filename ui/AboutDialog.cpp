#include "ui/AboutDialog.h"

#include "core/foundation/BuildInfo.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QLabel *selectableLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    // Versions get pasted into bug reports.
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About ragdesk"));
    setAttribute(Qt::WA_DeleteOnClose);

    auto *icon = new QLabel(this);
    icon->setObjectName(u"aboutIcon"_s);
    const int iconSize = 96;
    icon->setPixmap(QApplication::windowIcon().pixmap(QSize(iconSize, iconSize), devicePixelRatioF()));
    icon->setFixedSize(iconSize, iconSize);
    icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    auto *name = new QLabel(u"ragdesk"_s, this);
    QFont nameFont = name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.6);
    nameFont.setBold(true);
    name->setFont(nameFont);

    auto *version = selectableLabel(tr("Version %1").arg(BuildInfo::version()), this);
    version->setObjectName(u"aboutVersion"_s);
    auto *description = selectableLabel(
        tr("Chat with your own documents, without the window ever freezing."), this);
    // Wrapped labels report no useful width of their own; this one sets the dialog's.
    description->setMinimumWidth(400);
    auto *libraries = selectableLabel(tr("Built with %1.").arg(BuildInfo::libraryVersions()), this);
    libraries->setObjectName(u"aboutLibraries"_s);
    libraries->setForegroundRole(QPalette::PlaceholderText);

    auto *text = new QVBoxLayout;
    text->setSpacing(6);
    text->addWidget(name);
    text->addWidget(version);
    text->addSpacing(6);
    text->addWidget(description);
    text->addWidget(libraries);

    auto *top = new QHBoxLayout;
    top->setSpacing(18);
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(text, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 14);
    layout->addLayout(top);
    layout->addSpacing(8);
    layout->addWidget(buttons);
    // As large as its text and no larger: there is nothing to gain from resizing it.
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

} // namespace ragdesk
