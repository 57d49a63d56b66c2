memref.global @ext : memref<4xf32>
