#include "core/storage/ProfileLocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestProfileLocation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        // Test mode puts AppDataLocation under $HOME/.qttest; keep even that inside the temp dir.
        qputenv("HOME", QFile::encodeName(m_dir.filePath(u"home"_s)));
        QCoreApplication::setApplicationName(u"ragdesk-test"_s);
    }

    void overrideIsCreated()
    {
        const QString wanted = m_dir.filePath(u"custom/nested/profile"_s);
        const auto resolved = ProfileLocation::resolve(wanted);
        QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error().message));
        QCOMPARE(*resolved, wanted);
        QVERIFY(QFileInfo(wanted).isDir());
        // The write probe cleans up after itself.
        QCOMPARE(QDir(wanted).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    void relativeOverrideBecomesAbsolute()
    {
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir.path()));
        const auto resolved = ProfileLocation::resolve(u"relative/./profile"_s);
        QDir::setCurrent(previous);
        QVERIFY(resolved);
        QCOMPARE(*resolved, m_dir.filePath(u"relative/profile"_s));
    }

    void defaultIsAppDataLocation()
    {
        const auto resolved = ProfileLocation::resolve({});
        QVERIFY(resolved);
        QCOMPARE(*resolved, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
        QVERIFY(resolved->startsWith(m_dir.path()));
        QVERIFY(QFileInfo(*resolved).isDir());
    }

    void uncreatableIsAnError()
    {
        // A regular file where a parent folder should be cannot be worked around, even as root.
        const QString file = m_dir.filePath(u"plain-file"_s);
        QFile blocker(file);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto resolved = ProfileLocation::resolve(file + u"/profile"_s);
        QVERIFY(!resolved);
        QCOMPARE(resolved.error().kind, Error::Kind::Configuration);
        QVERIFY2(resolved.error().message.startsWith(u"Could not create the profile folder"_s),
                 qPrintable(resolved.error().message));
        QVERIFY(resolved.error().message.contains(u"--profile"_s));
    }
};

QTEST_GUILESS_MAIN(TestProfileLocation)
#include "tst_profilelocation.moc"
