# Offline version of generation's voxel threshold (voxels < t MeV to zero, the rest of each layer
# scaled so that the layer keeps its energy). Usage: threshold_layers.py IN OUT t layer counts...
import sys, h5py, numpy as np
src, dst, t = sys.argv[1], sys.argv[2], float(sys.argv[3]); counts = [int(c) for c in sys.argv[4:]]
f = h5py.File(src); s = f['showers'][:].astype(np.float32); e = f['incident_energies'][:]
first = 0
for n in counts:
    block = s[:, first:first + n]
    before = block.sum(1, keepdims=True)
    kept = np.where(block < t, 0, block)
    after = kept.sum(1, keepdims=True)
    scale = np.where(after > 0, before / np.maximum(after, 1e-30), 0)
    s[:, first:first + n] = kept * scale
    first += n
with h5py.File(dst, 'w') as g:
    g['showers'] = s; g['incident_energies'] = e
