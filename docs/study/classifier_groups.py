# Which high-level features tell generated from reference showers apart? A diagnostic for the
# training study (docs/training.md): the CaloChallenge high-level inputs of both files (log10
# layer energies, centres and widths in x and y / 100 mm of the layers with angular bins, with
# log10 E_inc), split into groups, and a small MLP (2 x 256, LeakyReLU, Adam 1e-3, 25 epochs,
# 70/30 split, 10,000 random showers per file) trained on each group. The AUC of `bolo
# evaluate` (all inputs together, CaloChallenge settings) stays the figure of record.
# Usage: /usr/bin/python3 classifier_groups.py REFERENCE.h5 GENERATED.h5 BINNING.xml
import sys, math, numpy as np, h5py, torch, xml.etree.ElementTree as ET
torch.set_num_threads(1); torch.manual_seed(1); rng = np.random.default_rng(1)
ref_path, gen_path, xml_path = sys.argv[1:4]
layers = []
for l in ET.parse(xml_path).getroot()[0]:
    r = [float(v) for v in l.get('r_edges').split(',')]
    if len(r) < 2: continue
    layers.append((int(l.get('id')), r, int(l.get('n_bin_alpha'))))
def feats(path, n=10000):
    f = h5py.File(path); N = f['showers'].shape[0]
    idx = np.sort(rng.choice(N, min(n, N), replace=False))
    x = f['showers'][idx, :].astype(np.float64); e = f['incident_energies'][idx, 0]
    out = {'einc': [np.log10(e)]}; first = 0
    for lid, r, na in layers:
        nr = len(r) - 1; nv = nr * na; v = x[:, first:first + nv]; first += nv
        E = v.sum(1); out.setdefault('logE', []).append(np.log10(E + 1e-8))
        out.setdefault('empty', []).append((E <= 0).astype(float))
        if na > 1:
            rc = np.array([(r[i] + r[i+1]) / 2 for i in range(nr)])
            al = -math.pi + (np.arange(na) + 0.5) * 2 * math.pi / na
            px = (np.cos(al)[:, None] * rc[None, :]).ravel(); py = (np.sin(al)[:, None] * rc[None, :]).ravel()
            w = np.where(E > 0, E, 1)
            cx = (v * px).sum(1) / w; cy = (v * py).sum(1) / w
            wx = np.sqrt(np.clip((v * px**2).sum(1) / w - cx**2, 0, None)); wy = np.sqrt(np.clip((v * py**2).sum(1) / w - cy**2, 0, None))
            for k, a in (('cx', cx), ('cy', cy), ('wx', wx), ('wy', wy)): out.setdefault(k, []).append(a / 100)
            out.setdefault('nz', []).append((v > 0).sum(1).astype(float))
    return {k: np.stack(a, 1) for k, a in out.items()}
R = feats(ref_path); G = feats(gen_path)
def auc_of(keys, label):
    a = np.concatenate([R[k] for k in keys], 1); b = np.concatenate([G[k] for k in keys], 1)
    X = np.concatenate([a, b]); y = np.concatenate([np.ones(len(a)), np.zeros(len(b))])
    p = rng.permutation(len(X)); X, y = X[p], y[p]; ntr = int(0.7 * len(X))
    mu, sd = X[:ntr].mean(0), X[:ntr].std(0) + 1e-9; X = (X - mu) / sd
    X = torch.tensor(X, dtype=torch.float32); y = torch.tensor(y, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], 256), torch.nn.LeakyReLU(), torch.nn.Linear(256, 256), torch.nn.LeakyReLU(), torch.nn.Linear(256, 1))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for ep in range(25):
        perm = torch.randperm(ntr)
        for i in range(0, ntr, 500):
            j = perm[i:i+500]; opt.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(net(X[j])[:, 0], y[j]).backward(); opt.step()
    with torch.no_grad(): s = net(X[ntr:])[:, 0].numpy()
    yt = y[ntr:].numpy(); order = np.argsort(s); ranks = np.empty(len(s)); ranks[order] = np.arange(len(s))
    npos = yt.sum(); auc = (ranks[yt == 1].sum() - npos * (npos - 1) / 2) / (npos * (len(yt) - npos))
    print(f'{label:40s} AUC {max(auc, 1 - auc):.4f}', flush=True)
print('empty-layer share ref', R['empty'].mean(0).round(3), 'gen', G['empty'].mean(0).round(3))
print('nonzero voxels ref', R['nz'].mean(0).round(1), 'gen', G['nz'].mean(0).round(1))
auc_of(['einc', 'logE'], 'einc + logE')
auc_of(['einc', 'cx', 'cy'], 'einc + centres')
auc_of(['einc', 'wx', 'wy'], 'einc + widths')
auc_of(['einc', 'logE', 'cx', 'cy', 'wx', 'wy'], 'all high level')
