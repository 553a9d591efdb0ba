# CPack .deb with the desktop entry; `cpack -G DEB` in a build folder.
if(TUNEBENCH_GUI)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/tunebench.desktop DESTINATION share/applications)
endif()
set(CPACK_PACKAGE_NAME tunebench)
set(CPACK_PACKAGE_VENDOR "tunebench developers")
set(CPACK_PACKAGE_CONTACT "tunebench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Workbench for fine-tuning pretrained neural networks")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Chinese (and other CJK) text in the data preview, labels and plots needs a CJK font; Qt draws
# empty boxes without one, and a desktop without CJK locales may have none installed.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk | fonts-wqy-microhei")
set(CPACK_GENERATOR DEB)
include(CPack)
