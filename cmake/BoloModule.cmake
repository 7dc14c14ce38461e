# bolo_add_module(<target> [TORCH] [DEPENDS <targets>...]): one folder, one static library.
# Every .cpp of the calling folder (not of its sub-folders) belongs to the target; includes
# are spelled from the source root ("calo/ShowerFile.hpp"). DEPENDS are linked PUBLIC.
# TORCH links LibTorch PRIVATE and is allowed only in folders named nn/: the rule that keeps
# torch out of everything else (docs/architecture.md).
function(bolo_add_module target)
  cmake_parse_arguments(MODULE "TORCH" "" "DEPENDS;SOURCES" ${ARGN})
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  if(MODULE_TORCH AND NOT folder STREQUAL "nn")
    message(FATAL_ERROR "${target}: torch is allowed only in folders named nn/ "
                        "(${CMAKE_CURRENT_SOURCE_DIR})")
  endif()
  if(BOLO_FUZZ AND DEFINED BOLO_FUZZ_ONLY_${target})
    # The fuzz build compiles only the sources its targets link (fuzz/FuzzSources.cmake), so
    # that the CI's fuzz step stays a few minutes on two cores.
    list(TRANSFORM BOLO_FUZZ_ONLY_${target} PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/
         OUTPUT_VARIABLE sources)
  else()
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  endif()
  add_library(${target} STATIC ${sources} ${MODULE_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC ${MODULE_DEPENDS})
  if(MODULE_TORCH)
    target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
    # Some headers of Debian's LibTorch trigger -Wshadow/-Wconversion; they are system headers.
    target_include_directories(${target} SYSTEM PRIVATE ${TORCH_INCLUDE_DIRS})
  endif()
  bolo_set_warnings(${target})
endfunction()
