// FileViewerLauncher: which page-aware viewer gets a PDF, and when the desktop default applies.

#include "ui/FileViewerLauncher.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
FileViewerLauncher::FindExecutable only(QStringList installed)
{
    return [installed](const QString &name) { return installed.contains(name) ? u"/usr/bin/"_s + name : QString(); };
}
} // namespace

class TestFileViewerLauncher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pdfWithAPageGoesToAPageAwareViewer()
    {
        const auto okular = FileViewerLauncher(only({ u"okular"_s, u"evince"_s })).pageCommand(u"/d/a.pdf"_s, 12);
        QVERIFY(okular);
        QCOMPARE(okular->program, u"/usr/bin/okular"_s);
        QCOMPARE(okular->arguments, (QStringList { u"--page"_s, u"12"_s, u"/d/a.pdf"_s }));
        const auto evince = FileViewerLauncher(only({ u"evince"_s })).pageCommand(u"/d/a.PDF"_s, 3);
        QVERIFY(evince);
        QCOMPARE(evince->arguments, (QStringList { u"--page-index=3"_s, u"/d/a.PDF"_s }));
        const auto zathura = FileViewerLauncher(only({ u"zathura"_s })).pageCommand(u"/d/a.pdf"_s, 5);
        QVERIFY(zathura);
        QCOMPARE(zathura->arguments, (QStringList { u"--page=5"_s, u"/d/a.pdf"_s }));
    }

    void everythingElseUsesTheDesktopDefault()
    {
        const FileViewerLauncher all(only({ u"okular"_s, u"evince"_s, u"zathura"_s }));
        QVERIFY(!all.pageCommand(u"/d/a.pdf"_s, 0));          // no page known
        QVERIFY(!all.pageCommand(u"/d/notes.md"_s, 4));       // not a PDF
        QVERIFY(!FileViewerLauncher(only({})).pageCommand(u"/d/a.pdf"_s, 4)); // no such viewer
    }

    void aMissingFileSaysSo()
    {
        const QString error = FileViewerLauncher(only({})).open(u"/nonexistent/ragdesk/gone.pdf"_s, 2);
        QVERIFY(error.contains(u"no longer there"_s));
        QVERIFY(error.contains(u"gone.pdf"_s));
    }
};

QTEST_MAIN(TestFileViewerLauncher)
#include "tst_fileviewerlauncher.moc"
