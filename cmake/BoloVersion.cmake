# The git commit is read at configure time; BOLO_GIT_COMMIT overrides it (container builds
# from a tarball have no .git).
if(NOT DEFINED BOLO_GIT_COMMIT)
  execute_process(COMMAND git rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE BOLO_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE _git_rc)
  if(NOT _git_rc EQUAL 0 OR BOLO_GIT_COMMIT STREQUAL "")
    set(BOLO_GIT_COMMIT "unknown")
  endif()
endif()
