#!/usr/bin/env bash
# Wraps the release build's executables into ragdesk.app, the layout macdeployqt and the .dmg
# need: Contents/MacOS/{ragdesk,ragdesk-cli}, Contents/Info.plist, Contents/Resources/ragdesk.icns.
# The icon set comes from the committed PNGs (resources/icons/png), so no SVG renderer is needed.
#
#   packaging/macos/make-app-bundle.sh BIN_DIR OUT_DIR VERSION
#
# macOS only (iconutil). A stopgap until app/gui sets MACOSX_BUNDLE and the install rules put the
# bundle in place themselves; see README "Flatpak, Windows and macOS".
set -euo pipefail

bin_dir="$1" out_dir="$2" version="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
png_dir="$here/../../resources/icons/png"
app_id=org.ragdesk.Ragdesk
app="$out_dir/ragdesk.app"

rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$bin_dir/ragdesk" "$bin_dir/ragdesk-cli" "$app/Contents/MacOS/"

# iconutil wants NAME.iconset/icon_<size>x<size>[@2x].png; every entry maps to a committed PNG.
iconset="$(mktemp -d)/ragdesk.iconset"
mkdir -p "$iconset"
for pair in 16:16 16@2x:32 32:32 32@2x:64 128:128 128@2x:256 256:256 256@2x:512 512:512; do
    name="${pair%%:*}" px="${pair##*:}"
    size="${name%@2x}"
    suffix=""; [[ "$name" == *@2x ]] && suffix="@2x"
    cp "$png_dir/$app_id-$px.png" "$iconset/icon_${size}x${size}${suffix}.png"
done
iconutil -c icns -o "$app/Contents/Resources/ragdesk.icns" "$iconset"

sed -e "s/@VERSION@/$version/g" -e "s/@APP_ID@/$app_id/g" \
    "$here/Info.plist.in" > "$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"
echo "$app"
