# nvcc_fatbin(TARGET OUTPUT SOURCE [DEPENDENCIES...]): compiles one CUDA translation unit into a fatbin with a cubin per
# architecture in CUDA_ARCHS plus PTX for the newest, so newer GPUs can JIT it. The fatbin is
# loaded at run time with cuModuleLoadData; no CUDA language support in CMake is needed.
set(CUDA_ARCHS "80;90" CACHE STRING "SM architectures to build cubins for")

function(nvcc_fatbin target output source)
  set(gencode "")
  foreach(arch IN LISTS CUDA_ARCHS)
    list(APPEND gencode "-gencode=arch=compute_${arch},code=sm_${arch}")
  endforeach()
  list(GET CUDA_ARCHS -1 newest)
  list(APPEND gencode "-gencode=arch=compute_${newest},code=compute_${newest}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${NVCC} -fatbin -O3 -std=c++17 ${gencode} -o ${output} ${source}
    DEPENDS ${source} ${ARGN}
    COMMENT "nvcc -fatbin ${output}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${output})
endfunction()
