#!/usr/bin/python3
"""Plain-PyTorch re-implementation of Bolo's conditional WGAN-GP recipe, for quality studies.

Trains on a CaloChallenge HDF5 file for a wall-clock budget and scores the generator every
--eval-seconds with the chi2/NDF of E_tot/E_inc per incident-energy point (30 uniform bins
between the reference's 0.1 % and 99.9 % quantiles, out-of-range values in the edge bins,
10,000 generated showers per point), as bolo bestiter does. One JSON line per evaluation.
"""
import argparse
import json
import math
import time

import h5py
import numpy as np
import torch
from torch import nn


def layer_slices(geometry_layers):
    out, start = [], 0
    for n in geometry_layers:
        out.append((start, start + n))
        start += n
    return out


PIONS_LAYERS = [8, 100, 100, 5, 150, 160, 10]  # voxels per non-empty layer, dataset 1
PHOTONS_LAYERS = [8, 160, 190, 5, 5]


def chi2_points(ref_e, ref_r, gen_e, gen_r, bins=30, tail=0.001):
    chi2_sum, ndf_sum, per = 0.0, 0, []
    for e in np.unique(ref_e):
        r = ref_r[ref_e == e]
        g = gen_r[gen_e == e]
        lo, hi = np.quantile(r, tail), np.quantile(r, 1 - tail)
        edges = np.linspace(lo, hi, bins + 1)
        n1 = np.histogram(np.clip(r, lo, hi), edges)[0].astype(float)
        n2 = np.histogram(np.clip(g, lo, hi), edges)[0].astype(float)
        N1, N2 = n1.sum(), n2.sum()
        m = (n1 + n2) > 0
        c = ((math.sqrt(N2 / N1) * n1[m] - math.sqrt(N1 / N2) * n2[m]) ** 2 / (n1[m] + n2[m])).sum()
        ndf = int(m.sum()) - 1
        chi2_sum += c
        ndf_sum += ndf
        per.append(dict(e=float(e), chi2ndf=c / max(ndf, 1), mean_ref=float(r.mean()),
                        mean_gen=float(g.mean()), rms_ref=float(r.std()), rms_gen=float(g.std())))
    return chi2_sum / ndf_sum, per


class Generator(nn.Module):
    def __init__(self, a, voxels, layers):
        super().__init__()
        self.a, self.layers = a, layers
        act = dict(silu=nn.SiLU, relu=nn.ReLU, leaky_relu=lambda: nn.LeakyReLU(0.2))[a.activation]
        sizes = [a.latent + a.cw] + [int(s) for s in a.g_hidden.split(",")]
        self.hidden = nn.ModuleList(nn.Linear(sizes[i] + (a.cw if (a.cond_every and i > 0) else 0),
                                              sizes[i + 1]) for i in range(len(sizes) - 1))
        self.act = act()
        extra = (len(layers) + 1) if a.param == "shared" else 0
        self.out = nn.Linear(sizes[-1] + (a.cw if a.cond_every else 0), voxels + extra)

    def forward(self, z, c):
        h = torch.cat([z, c], 1)
        for i, l in enumerate(self.hidden):
            if self.a.cond_every and i > 0:
                h = torch.cat([h, c], 1)
            h = self.act(l(h))
        if self.a.cond_every:
            h = torch.cat([h, c], 1)
        o = self.out(h)
        if self.a.param == "free":
            return torch.relu(o) * self.a.out_scale
        nl = len(self.layers)
        V = o.shape[1] - nl - 1
        vox, lay, resp = o[:, :V], o[:, V:V + nl], o[:, V + nl:]
        r = nn.functional.softplus(resp + 0.5)
        f = torch.softmax(lay, 1)
        parts = []
        for k, (s, e) in enumerate(self.layers):
            parts.append(torch.softmax(vox[:, s:e], 1) * f[:, k:k + 1])
        return torch.cat(parts, 1) * r


class Critic(nn.Module):
    def __init__(self, a, inputs):
        super().__init__()
        self.a = a
        act = dict(silu=nn.SiLU, relu=nn.ReLU, leaky_relu=lambda: nn.LeakyReLU(0.2))[a.c_activation or a.activation]
        sizes = [inputs + a.cw] + [int(s) for s in a.c_hidden.split(",")]
        self.hidden = nn.ModuleList(nn.Linear(sizes[i] + (a.cw if (a.cond_every and i > 0) else 0),
                                              sizes[i + 1]) for i in range(len(sizes) - 1))
        self.act = act()
        self.out = nn.Linear(sizes[-1] + (a.cw if a.cond_every else 0), 1)

    def forward(self, x, c):
        h = torch.cat([x, c], 1)
        for i, l in enumerate(self.hidden):
            if self.a.cond_every and i > 0:
                h = torch.cat([h, c], 1)
            h = self.act(l(h))
        if self.a.cond_every:
            h = torch.cat([h, c], 1)
        return self.out(h)


def critic_input(a, x, layers, feat_mean, feat_std):
    """What the critic sees of showers x (targets E/E_inc): voxels scaled, plus features."""
    V = x.shape[1]
    if a.critic_voxels == "scaled":
        v = x * V
    elif a.critic_voxels == "log":
        v = torch.log1p(x * V * 100.0) / 5
    else:
        v = x
    if not a.features:
        return v
    resp = x.sum(1, keepdim=True)
    lay = torch.cat([x[:, s:e].sum(1, keepdim=True) for s, e in layers], 1)
    feats = torch.cat([resp, lay], 1)
    feats = (feats - feat_mean) / feat_std
    return torch.cat([v, feats * a.feature_weight], 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--file", required=True)
    p.add_argument("--particle", default="pions")
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--eval-seconds", type=float, default=120)
    p.add_argument("--param", default="free", choices=["free", "shared"])
    p.add_argument("--features", type=int, default=0)
    p.add_argument("--feature-critic", type=int, default=0, help="second critic on features only")
    p.add_argument("--feature-critic-weight", type=float, default=1.0)
    p.add_argument("--feature-weight", type=float, default=1.0)
    p.add_argument("--critic-voxels", default="raw", choices=["raw", "scaled", "log"])
    p.add_argument("--cond-every", type=int, default=0)
    p.add_argument("--cond-embed", type=int, default=0, help="RBF features of the condition")
    p.add_argument("--conditioning", default="log", choices=["log", "linear"])
    p.add_argument("--latent", type=int, default=50)
    p.add_argument("--latent-mean", type=float, default=0.0)
    p.add_argument("--latent-sd", type=float, default=1.0)
    p.add_argument("--g-hidden", default="533,533,533")
    p.add_argument("--c-hidden", default="533,533,533")
    p.add_argument("--activation", default="silu")
    p.add_argument("--c-activation", default="")
    p.add_argument("--out-scale", type=float, default=1.0)
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-c", type=float, default=1e-4)
    p.add_argument("--beta1", type=float, default=0.5)
    p.add_argument("--beta2", type=float, default=0.9)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--critic-steps", type=int, default=5)
    p.add_argument("--gp", type=float, default=10.0)
    p.add_argument("--ema", type=float, default=0.0)
    p.add_argument("--match-weight", type=float, default=0.0)
    p.add_argument("--match-per-point", type=int, default=16)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--tag", default="")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)

    with h5py.File(a.file, "r") as f:
        E = f["incident_energies"][:, 0].astype(np.float64)
        X = f["showers"][:].astype(np.float32)
    layers = layer_slices(PIONS_LAYERS if a.particle == "pions" else PHOTONS_LAYERS)
    V = X.shape[1]
    assert layers[-1][1] == V
    targets = torch.from_numpy(X / E[:, None].astype(np.float32))
    emin, emax = E.min(), E.max()
    if a.conditioning == "log":
        cond_np = np.log(E / emin) / np.log(emax / emin)
    else:
        cond_np = E / emax
    a.cw = 1 + a.cond_embed

    def embed(c):
        if not a.cond_embed:
            return c
        mu = torch.linspace(0, 1, a.cond_embed)[None, :]
        w = 1.0 / (a.cond_embed - 1)
        return torch.cat([c, torch.exp(-0.5 * ((c - mu) / w) ** 2)], 1)

    cond = embed(torch.from_numpy(cond_np.astype(np.float32))[:, None])
    ref_resp = X.sum(1) / E

    with torch.no_grad():
        resp = targets.sum(1, keepdim=True)
        lay = torch.cat([targets[:, s:e].sum(1, keepdim=True) for s, e in layers], 1)
        feats = torch.cat([resp, lay], 1)
        feat_mean, feat_std = feats.mean(0), feats.std(0) + 1e-6

    def physics(x):
        resp = x.sum(1, keepdim=True)
        lay = torch.cat([x[:, s:e].sum(1, keepdim=True) for s, e in layers], 1)
        return (torch.cat([resp, lay], 1) - feat_mean) / feat_std

    F2 = None
    if a.feature_critic:
        class FC(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(nn.Linear(len(layers) + 1 + a.cw, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(),
                                         nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))
            def forward(self, f, c):
                return self.net(torch.cat([f, c], 1))
        F2 = FC()
        optF = torch.optim.Adam(F2.parameters(), lr=a.lr_c, betas=(a.beta1, a.beta2))
    G = Generator(a, V, layers)
    C = Critic(a, V + (len(layers) + 1 if a.features else 0))
    G_ema = None
    if a.ema > 0:
        import copy
        G_ema = copy.deepcopy(G)
        for q in G_ema.parameters():
            q.requires_grad_(False)
    optG = torch.optim.Adam(G.parameters(), lr=a.lr_g, betas=(a.beta1, a.beta2))
    optC = torch.optim.Adam(C.parameters(), lr=a.lr_c, betas=(a.beta1, a.beta2))
    N, B = targets.shape[0], a.batch

    def latent(n):
        return torch.randn(n, a.latent) * a.latent_sd + a.latent_mean

    points = np.unique(E)
    groups = [torch.from_numpy(np.nonzero(E == e)[0]) for e in points]
    gen_e = np.repeat(points, 10000)
    if a.conditioning == "log":
        gen_c = np.log(gen_e / emin) / np.log(emax / emin)
    else:
        gen_c = gen_e / emax
    gen_c = embed(torch.from_numpy(gen_c.astype(np.float32))[:, None])

    def evaluate(net):
        g = torch.Generator().manual_seed(12345)
        with torch.no_grad():
            out = []
            for i in range(0, gen_c.shape[0], 10000):
                z = torch.randn(min(10000, gen_c.shape[0] - i), a.latent, generator=g) * a.latent_sd + a.latent_mean
                out.append(net(z, gen_c[i:i + z.shape[0]]).sum(1).numpy())
        gr = np.concatenate(out)
        return chi2_points(E, ref_resp, gen_e, gr)

    start = time.time()
    next_eval = a.eval_seconds
    it = 0
    best = float("inf")
    while True:
        for _ in range(a.critic_steps):
            idx = torch.randint(N, (B,))
            real, c = targets[idx], cond[idx]
            with torch.no_grad():
                fake = G(latent(B), c)
            ri = critic_input(a, real, layers, feat_mean, feat_std)
            fi = critic_input(a, fake, layers, feat_mean, feat_std)
            eps = torch.rand(B, 1)
            mix = (eps * ri + (1 - eps) * fi).requires_grad_(True)
            s = C(torch.cat([ri, fi, mix]), c.repeat(3, 1))
            sr, sf, sm = s[:B], s[B:2 * B], s[2 * B:]
            grad = torch.autograd.grad(sm.sum(), mix, create_graph=True)[0]
            gp = ((grad.norm(2, dim=1) - 1) ** 2).mean()
            w = sr.mean() - sf.mean()
            loss = -w + a.gp * gp
            optC.zero_grad()
            loss.backward()
            optC.step()
            if F2 is not None:
                pr, pf = physics(real), physics(fake)
                pm = (eps * pr + (1 - eps) * pf).requires_grad_(True)
                s2 = F2(torch.cat([pr, pf, pm]), c.repeat(3, 1))
                g2 = torch.autograd.grad(s2[2 * B:].sum(), pm, create_graph=True)[0]
                l2 = -(s2[:B].mean() - s2[B:2 * B].mean()) + a.gp * ((g2.norm(2, dim=1) - 1) ** 2).mean()
                optF.zero_grad()
                l2.backward()
                optF.step()
        for q in C.parameters():
            q.requires_grad_(False)
        fake = G(latent(B), c)
        gl = -C(critic_input(a, fake, layers, feat_mean, feat_std), c).mean()
        if a.match_weight > 0:
            m = a.match_per_point
            idx = torch.cat([g[torch.randint(len(g), (m,))] for g in groups])
            fr = physics(targets[idx]).view(len(groups), m, -1)
            ff = physics(G(latent(len(idx)), cond[idx])).view(len(groups), m, -1)
            match = (torch.sort(ff, 1)[0] - torch.sort(fr, 1)[0]).abs().mean()
            gl = gl + a.match_weight * match
        if F2 is not None:
            for q in F2.parameters():
                q.requires_grad_(False)
            gl = gl - a.feature_critic_weight * F2(physics(fake), c).mean()
            for q in F2.parameters():
                q.requires_grad_(True)
        optG.zero_grad()
        gl.backward()
        optG.step()
        for q in C.parameters():
            q.requires_grad_(True)
        if G_ema is not None:
            with torch.no_grad():
                for pe, pg in zip(G_ema.parameters(), G.parameters()):
                    pe.lerp_(pg, 1 - a.ema)
        it += 1
        el = time.time() - start
        if el >= next_eval or el >= a.minutes * 60:
            t0 = time.time()
            score, per = evaluate(G_ema if G_ema is not None else G)
            best = min(best, score)
            print(json.dumps(dict(tag=a.tag, seconds=round(el, 1), iteration=it, chi2ndf=round(score, 2),
                                  best=round(best, 2), w=round(float(w), 4),
                                  resp_gen=[round(q["mean_gen"], 3) for q in per],
                                  resp_ref=[round(q["mean_ref"], 3) for q in per],
                                  rms_gen=[round(q["rms_gen"], 3) for q in per],
                                  rms_ref=[round(q["rms_ref"], 3) for q in per],
                                  chi2_per_point=[round(q["chi2ndf"], 1) for q in per])), flush=True)
            start += time.time() - t0  # evaluation time does not count as training time
            next_eval += a.eval_seconds
            if el >= a.minutes * 60:
                break


if __name__ == "__main__":
    main()
