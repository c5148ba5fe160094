// AppTheme: Light and Dark apply fixed palettes, System hands the colours back to the platform.

#include "tests/support/TempProfile.h"
#include "ui/AppTheme.h"
#include "ui/AppearanceSettings.h"

#include <QApplication>
#include <QFile>
#include <QStyle>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestAppTheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lightAndDarkApplyTheirPalettes()
    {
        AppTheme theme;
        theme.apply(ThemeMode::Dark);
        QCOMPARE(theme.mode(), ThemeMode::Dark);
        QCOMPARE(QApplication::style()->name().toLower(), u"fusion"_s);
        QCOMPARE(QApplication::palette().color(QPalette::Base), AppTheme::darkPalette().color(QPalette::Base));
        QVERIFY(AppTheme::isDark(QApplication::palette()));

        theme.apply(ThemeMode::Light);
        QCOMPARE(QApplication::palette().color(QPalette::Window), AppTheme::lightPalette().color(QPalette::Window));
        QVERIFY(!AppTheme::isDark(QApplication::palette()));
        theme.apply(ThemeMode::System);
    }

    void systemRestoresThePlatformPalette()
    {
        const QPalette platform = QApplication::palette();
        const QString platformStyle = QApplication::style()->name();
        AppTheme theme;
        theme.apply(ThemeMode::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Base) != platform.color(QPalette::Base));
        theme.apply(ThemeMode::System);
        QCOMPARE(QApplication::style()->name(), platformStyle);
        for (auto role : { QPalette::Window, QPalette::Base, QPalette::Text, QPalette::Highlight })
            QCOMPARE(QApplication::palette().color(role), platform.color(role));
    }

    void derivedColoursReadOnTheirBackground()
    {
        for (const QPalette &palette : { AppTheme::lightPalette(), AppTheme::darkPalette() }) {
            const qreal base = palette.color(QPalette::Base).lightnessF();
            // Accent, assistant and error colours must stand apart from the page in both themes.
            for (const QColor &colour :
                { AppTheme::accentColor(palette), AppTheme::assistantColor(palette), AppTheme::errorColor(palette) })
                QVERIFY2(qAbs(colour.lightnessF() - base) > 0.25, qPrintable(colour.name()));
        }
        QCOMPARE(AppTheme::mix(Qt::black, Qt::white, 0.0), QColor(Qt::black));
        QCOMPARE(AppTheme::mix(Qt::black, Qt::white, 1.0), QColor(Qt::white));
    }

    void themeChoiceIsRemembered()
    {
        ragdesk::testing::TempProfile profile;
        const AppearanceSettings settings(profile.path());
        QCOMPARE(settings.theme(), ThemeMode::System);
        settings.saveTheme(ThemeMode::Dark);
        QCOMPARE(AppearanceSettings(profile.path()).theme(), ThemeMode::Dark);
        settings.saveTheme(ThemeMode::Light);
        QCOMPARE(AppearanceSettings(profile.path()).theme(), ThemeMode::Light);
    }

    void unknownThemeFallsBackToSystem()
    {
        ragdesk::testing::TempProfile profile;
        QFile ini(profile.filePath(u"settings.ini"_s));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[appearance]\ntheme=sepia\n");
        ini.close();
        QCOMPARE(AppearanceSettings(profile.path()).theme(), ThemeMode::System);
    }
};

QTEST_MAIN(TestAppTheme)
#include "tst_apptheme.moc"
