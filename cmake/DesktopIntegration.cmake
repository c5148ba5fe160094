# Names shared by resources/ (which installs the desktop files) and tests/packaging/ (which checks
# the installed tree), so both agree by construction.
include(GNUInstallDirs)

# The reverse-DNS id: .desktop and metainfo file names, icon name, QGuiApplication::desktopFileName().
set(RAGDESK_APP_ID org.ragdesk.Ragdesk)
# PNG renderings of resources/icons/org.ragdesk.Ragdesk.svg committed in resources/icons/png/;
# resources/icons/render-pngs.sh makes them and must list the same sizes.
set(RAGDESK_ICON_SIZES 16 32 48 64 128 256 512)
