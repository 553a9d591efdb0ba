# Every tracked C++ file is clang-formatted with the repository's .clang-format.
find_program(TB_CLANG_FORMAT clang-format)
find_program(TB_GIT git)
if(TB_CLANG_FORMAT AND TB_GIT AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
    add_test(NAME sources_are_clang_formatted
        COMMAND sh -c "cd '${PROJECT_SOURCE_DIR}' && git ls-files -z '*.cpp' '*.h' | xargs -0 '${TB_CLANG_FORMAT}' --dry-run --Werror")
    set_tests_properties(sources_are_clang_formatted PROPERTIES LABELS style)
endif()
