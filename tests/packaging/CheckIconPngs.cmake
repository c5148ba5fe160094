# The committed PNGs are current renderings of the SVG at every size: rerender each and compare
# pixels (a small fuzz absorbs anti-aliasing differences between rsvg versions).
# Fix a failure with resources/icons/render-pngs.sh.
string(REPLACE "|" ";" SIZES "${SIZES}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(stale)
foreach(size IN LISTS SIZES)
    set(committed "${PNG_DIR}/${APP_ID}-${size}.png")
    if(NOT EXISTS "${committed}")
        list(APPEND stale "${size} (missing)")
        continue()
    endif()
    set(fresh "${WORK_DIR}/${size}.png")
    execute_process(COMMAND ${RSVG_CONVERT} --width ${size} --height ${size} --keep-aspect-ratio
        --output "${fresh}" "${SVG}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "rsvg-convert failed on ${SVG} (${rc})")
    endif()
    # compare exits 0 when alike, 1 when different (also when the sizes differ), 2 on trouble.
    execute_process(COMMAND ${COMPARE} -metric AE -fuzz 3% "${committed}" "${fresh}" null:
        RESULT_VARIABLE rc ERROR_VARIABLE differing)
    if(rc EQUAL 2 OR rc MATCHES "[^0-9]")
        message(FATAL_ERROR "compare failed on ${committed}: ${differing}")
    elseif(NOT rc EQUAL 0)
        list(APPEND stale "${size} (${differing} pixels differ)")
    endif()
endforeach()
if(stale)
    list(JOIN stale ", " stale)
    message(FATAL_ERROR "icon PNGs do not match ${SVG}: ${stale}\nRun resources/icons/render-pngs.sh")
endif()
