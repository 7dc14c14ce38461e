# bolo_set_warnings(target): the warning set every Bolo target compiles with.
function(bolo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor)
  if(BOLO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
