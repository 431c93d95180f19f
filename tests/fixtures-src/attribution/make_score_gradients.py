"""Reference gradients of the image-text score for the shipped world CLIP, by PyTorch autograd through Hugging Face
transformers' CLIPModel (an implementation independent of ours).

y(x, t) = cos(image_embeds(x), t)  (seed 000 Eq. 1); for each hooked residual (output of vision block L, all tokens)
the fixture holds dy/dh, and dy/d(image_embeds). Pixels and the text vector are seeded random values written into the
fixture, so the C# test feeds the model exactly these inputs (no preprocessing in between).

usage: python make_score_gradients.py MODEL_DIR OUT.json
"""
import json, sys
import numpy as np
import torch
from transformers import CLIPModel


def main(model_dir, out):
    torch.manual_seed(0)
    model = CLIPModel.from_pretrained(model_dir, torch_dtype=torch.float64).eval()
    vc = model.config.vision_config
    rng = np.random.default_rng(7)
    images = 2
    pixels = rng.standard_normal((images, 3, vc.image_size, vc.image_size))
    text = rng.standard_normal(model.config.projection_dim)
    layers = [1, vc.num_hidden_layers - 1]
    captured = {}

    def keep(layer):
        def hook(_module, _inputs, output):
            h = output[0] if isinstance(output, tuple) else output
            h.retain_grad()
            captured[layer] = h
        return hook

    handles = [model.vision_model.encoder.layers[l].register_forward_hook(keep(l)) for l in layers]
    px = torch.tensor(pixels, dtype=torch.float64)
    t = torch.tensor(text, dtype=torch.float64)
    cases = []
    for i in range(images):
        captured.clear()
        model.zero_grad()
        # class token after the last block, LN_post, projection (what get_image_features returns in every version)
        emb = model.visual_projection(model.vision_model(pixel_values=px[i:i + 1]).pooler_output)
        emb.retain_grad()
        y = torch.nn.functional.cosine_similarity(emb[0], t, dim=0)
        y.backward()
        cases.append({
            "image": i,
            "score": y.item(),
            "imageEmbeds": emb[0].detach().tolist(),
            "imageEmbedsGradient": emb.grad[0].tolist(),
            "residualGradients": [{"layer": l, "tokens": captured[l].shape[1], "width": captured[l].shape[2],
                                    "gradient": captured[l].grad[0].flatten().tolist()} for l in layers],
        })
    for h in handles:
        h.remove()
    doc = {
        "source": f"torch {torch.__version__} autograd through transformers CLIPModel (float64), {model_dir}",
        "imageSize": vc.image_size, "pixels": pixels.flatten().tolist(), "text": text.tolist(), "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
