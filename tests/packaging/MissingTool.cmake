# Stands in for a tool find_program() did not find, so its test fails with a clear reason.
message(FATAL_ERROR "${TOOL} is not installed; add its package to packaging/dev-root/packages.txt")
