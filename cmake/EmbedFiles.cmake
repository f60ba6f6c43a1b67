# embed_files(OUTPUT <file.cpp> NAMESPACE <ns> FUNCTION <fn> FILES <f>...)
# Generates a .cpp defining `std::span<const EmbeddedFile> <ns>::<fn>()` that returns the files'
# names and contents, in the order given. Used for SQL migrations, so the binary carries its
# schema and cannot drift from it. Regenerated whenever an input changes.
set(SHOWROOM_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files_run.cmake)

function(embed_files)
    cmake_parse_arguments(E "" "OUTPUT;NAMESPACE;FUNCTION;HEADER" "FILES" ${ARGN})
    add_custom_command(
        OUTPUT ${E_OUTPUT}
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE} -DFUNCTION=${E_FUNCTION}
                -DHEADER=${E_HEADER} "-DFILES=${E_FILES}" -P ${SHOWROOM_EMBED_SCRIPT}
        DEPENDS ${E_FILES} ${SHOWROOM_EMBED_SCRIPT}
        COMMENT "Embedding ${E_FUNCTION}"
        VERBATIM)
endfunction()
