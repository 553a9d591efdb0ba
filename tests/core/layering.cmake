# The core stays Qt-free: a source-level check complementing the CMake link-graph check.
add_test(NAME core_has_no_qt_includes
    COMMAND sh -c "! grep -rnE '#[[:space:]]*include[[:space:]]*[<\"](Q[A-Za-z]|qcustomplot)' '${PROJECT_SOURCE_DIR}/core'")
