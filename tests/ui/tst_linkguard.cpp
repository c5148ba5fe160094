// LinkGuard: only http(s) links open, and only after the user saw the full target and agreed.

#include "ui/markdown/LinkGuard.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestLinkGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyWebLinksAreAllowed_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << u"https://example.org/a?b=c#d"_s << true;
        QTest::newRow("http") << u"http://example.org"_s << true;
        QTest::newRow("upper-case scheme") << u"HTTPS://example.org"_s << true;
        QTest::newRow("javascript") << u"javascript:alert(1)"_s << false;
        QTest::newRow("file") << u"file:///etc/passwd"_s << false;
        QTest::newRow("data") << u"data:text/html;base64,PHNjcmlwdD4="_s << false;
        QTest::newRow("mailto") << u"mailto:a@example.org"_s << false;
        QTest::newRow("custom app") << u"ragdesk:copy/1/2"_s << false;
        QTest::newRow("relative") << u"../secret.txt"_s << false;
        QTest::newRow("no host") << u"http:///path"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void onlyWebLinksAreAllowed()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(LinkGuard::classify(QUrl(url)) == LinkGuard::Verdict::Allowed, allowed);
        QCOMPARE(LinkGuard::refusalReason(QUrl(url)).isEmpty(), allowed);
    }

    void allowedLinkOpensOnlyWhenConfirmed()
    {
        QWidget parent;
        LinkGuard guard(&parent);
        QList<QUrl> asked;
        QList<QUrl> opened;
        bool answer = false;
        guard.setConfirmer([&](const QUrl &url) {
            asked.append(url);
            return answer;
        });
        guard.setOpener([&](const QUrl &url) { opened.append(url); });
        const QUrl url(u"https://example.org/docs"_s);
        guard.activate(url);
        QCOMPARE(asked, QList<QUrl> { url });
        QVERIFY(opened.isEmpty());
        answer = true;
        guard.activate(url);
        QCOMPARE(opened, QList<QUrl> { url });
    }

    void refusedLinkIsNeverAskedAbout()
    {
        QWidget parent;
        LinkGuard guard(&parent);
        int asked = 0;
        int opened = 0;
        guard.setConfirmer([&](const QUrl &) { return ++asked > 0; });
        guard.setOpener([&](const QUrl &) { ++opened; });
        QSignalSpy refused(&guard, &LinkGuard::refused);
        guard.activate(QUrl(u"javascript:alert(1)"_s));
        QCOMPARE(asked, 0);
        QCOMPARE(opened, 0);
        QCOMPARE(refused.count(), 1);
        auto *box = parent.findChild<QMessageBox *>(u"linkRefusedBox"_s);
        QVERIFY(box);
        QVERIFY(box->text().contains(u"\"javascript:\""_s));
        QVERIFY(box->informativeText().contains(u"javascript:alert(1)"_s));
    }

    void confirmationShowsTheFullTarget()
    {
        QWidget parent;
        parent.show();
        LinkGuard guard(&parent);
        int opened = 0;
        guard.setOpener([&](const QUrl &) { ++opened; });
        // A look-alike host shows as punycode, the query in full.
        const QUrl url(u"https://exаmple.org/login?next=https://evil.example/steal"_s);
        guard.activate(url);
        auto *box = parent.findChild<QMessageBox *>(u"linkConfirmBox"_s);
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QCOMPARE(box->informativeText(), QString::fromUtf8(url.toEncoded()));
        QVERIFY(box->informativeText().contains(u"xn--"_s));
        QVERIFY(box->informativeText().contains(u"next=https://evil.example/steal"_s));
        QPointer<QMessageBox> first = box;
        box->button(QMessageBox::Cancel)->click();
        QCOMPARE(opened, 0);
        QTRY_VERIFY(!first); // deleted on close

        guard.activate(url);
        box = parent.findChild<QMessageBox *>(u"linkConfirmBox"_s);
        QTRY_VERIFY(box && box->isVisible());
        box->button(QMessageBox::Open)->click();
        QCOMPARE(opened, 1);
    }
};

QTEST_MAIN(TestLinkGuard)
#include "tst_linkguard.moc"
