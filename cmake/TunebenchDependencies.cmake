# Finds every third-party package. Core packages are always required; Qt only with TUNEBENCH_GUI.
find_package(Torch REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C CXX)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
# Image decoding for image datasets (Debian libstb-dev: stb_image compiled into libstb).
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
find_package(ZLIB REQUIRED)  # gzip-compressed IDX files (MNIST / Fashion-MNIST)

# One imported target for HDF5 so consumers need not repeat include dirs and definitions.
if(NOT TARGET tb_hdf5)
    add_library(tb_hdf5 INTERFACE)
    target_include_directories(tb_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
    target_compile_definitions(tb_hdf5 INTERFACE ${HDF5_DEFINITIONS})
    target_link_libraries(tb_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
endif()

# LibTorch as one interface target: its headers are SYSTEM so their warnings stay out of ours.
if(NOT TARGET tb_torch)
    add_library(tb_torch INTERFACE)
    target_include_directories(tb_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
    target_link_libraries(tb_torch INTERFACE ${TORCH_LIBRARIES})
    # nccl.h for c10d's NCCL process group (multi-GPU training): a pip-installed CUDA PyTorch
    # keeps it in the nvidia-nccl package beside torch. Without it only Gloo is built.
    if(TORCH_CUDA_LIBRARIES)
        find_path(TB_NCCL_INCLUDE_DIR nccl.h
            HINTS ${Torch_DIR}/../../../../nvidia/nccl/include ENV CUDA_HOME ENV NCCL_HOME
            PATH_SUFFIXES include)
        if(TB_NCCL_INCLUDE_DIR)
            target_include_directories(tb_torch SYSTEM INTERFACE ${TB_NCCL_INCLUDE_DIR})
        endif()
    endif()
endif()

if(TUNEBENCH_GUI OR TUNEBENCH_TESTS)
    # Qt Test drives every test executable; core tests link it, core itself never does.
    find_package(Qt6 COMPONENTS Test Widgets PrintSupport Concurrent)
endif()
if(TUNEBENCH_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Widgets PrintSupport Test Concurrent)
    find_package(QCustomPlotQt6 REQUIRED) # after Qt6; never the Qt 5 build
    set(CMAKE_AUTOMOC ON)
endif()
