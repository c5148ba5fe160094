#!/usr/bin/env bash
# Renders the committed PNG sizes of the app icon from its SVG. Run it after editing the SVG:
#   ./dev exec resources/icons/render-pngs.sh
# The icon-pngs-current test fails while the PNGs do not match the SVG.
# Keep SIZES in step with RAGDESK_ICON_SIZES in cmake/DesktopIntegration.cmake.
set -euo pipefail
SIZES=(16 32 48 64 128 256 512)
cd "$(dirname "${BASH_SOURCE[0]}")"
for size in "${SIZES[@]}"; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio \
        --output "png/org.ragdesk.Ragdesk-$size.png" org.ragdesk.Ragdesk.svg
done
echo "rendered ${SIZES[*]} into $(pwd)/png"
