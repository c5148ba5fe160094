#pragma once

#include <QDialog>

namespace ragdesk {

/// Help → About: the app's name, version and the library versions it runs on.
/// Non-modal; MainWindow shows it with show() and it deletes itself on close.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
};

} // namespace ragdesk
