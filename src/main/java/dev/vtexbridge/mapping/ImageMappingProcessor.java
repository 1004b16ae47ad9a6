package dev.vtexbridge.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.Offer;
import org.springframework.stereotype.Component;

/** ERP image file names → {@code model.images} {@code [{imageName, imageUrl}]} with https URLs ({@code images.yaml}). */
@Component("imageMappingProcessor")
public class ImageMappingProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        ImageRules rules = context.mappings().images();
        ArrayNode images = context.model().putArray("images");
        int position = 0;
        for (Offer.Image image : context.erp().offer().images()) {
            if (position >= rules.maxImages()) {
                break;
            }
            position++;
            String url = rules.url(image.fileName());
            if (url == null) {
                context.error("Images[" + (position - 1) + "].imageUrl", "'" + image.fileName()
                        + "' is not an https URL and " + MappingRegistry.IMAGES + " has no baseUrl to complete it");
                continue;
            }
            ObjectNode node = images.addObject();
            node.put("imageName", image.label() == null || image.label().isBlank()
                    ? context.skuId() + "-" + position : image.label());
            node.put("imageUrl", url);
        }
        if (position == 0) {
            context.error("Images", "the ERP has no image for this SKU; VTEX requires at least one");
        }
    }
}
