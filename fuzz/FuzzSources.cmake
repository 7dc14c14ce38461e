# The sources of each torch-free module that the fuzz targets (and fuzz_make_seeds) link: the
# fuzz build compiles only these (cmake/BoloModule.cmake), with the sanitizers, instead of
# whole modules. A new target that needs more fails to link: add the file here. (Found from
# the undefined symbols of the parsers' objects; weak symbols do not pull a file in.)
set(BOLO_FUZZ_ONLY_bolo_common AtomicFile.cpp ConfigReader.cpp GnuplotFigure.cpp JsonParse.cpp
                               ParseNumber.cpp Subprocess.cpp)
set(BOLO_FUZZ_ONLY_bolo_calo
    CheckpointRecord.cpp Particle.cpp ShowerFile.cpp ShowerGeometry.cpp ShowerPreprocessing.cpp
    SimulationConfig.cpp TrainingConfig.cpp TrainingMetrics.cpp)
set(BOLO_FUZZ_ONLY_bolo_ftag JetGenerator.cpp JetSample.cpp ScanResults.cpp ScanSpace.cpp
                             TaggerConfig.cpp)
set(BOLO_FUZZ_ONLY_bolo_batch JobRecord.cpp JobRequest.cpp JobState.cpp SiteCatalogue.cpp)
