namespace Actors.Vision.Imaging;

/// <summary>How a centre crop places its window when the margin is odd.</summary>
public enum CenterCropRounding
{
    /// <summary>torchvision's CenterCrop (OpenAI CLIP, OpenCLIP): top = round((h − crop) / 2), Python's round-half-to-even.</summary>
    Torchvision,

    /// <summary>transformers' image_transforms.center_crop (CLIPImageProcessor): top = (h − crop) // 2.</summary>
    Floor,
}
