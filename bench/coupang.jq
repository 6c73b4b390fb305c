# The Coupang v5 ordersheets page -> the unified orders columns, one row per
# order item, as a shell script with jq would do it (the conversion benchmark's
# baseline). Ids pass through jq's doubles: 18-digit box ids lose digits.
.data[] as $s | $s.orderItems[] as $i |
[ "", "", "", "coupang", "main", ($s.orderId|tostring), ($i.vendorItemId|tostring), ($s.shipmentBoxId|tostring),
  $s.status, $s.status, $s.orderedAt, $s.paidAt, ($i.sellerProductId|tostring), ($i.vendorItemId|tostring),
  $i.externalVendorSkuCode, ($i.sellerProductName // $i.vendorItemName), $i.vendorItemName, $i.shippingCount, $i.cancelCount,
  ($i.shippingCount - $i.cancelCount - $i.holdCountForCancel), $i.salesPrice.units, $i.discountPrice.units,
  ($s.shippingPrice.units // 0), $i.orderPrice.units, $s.orderer.name, $s.orderer.safeNumber, $s.receiver.name,
  $s.receiver.safeNumber, $s.receiver.postCode, $s.receiver.addr1, $s.receiver.addr2, $s.parcelPrintMessage, "",
  $s.deliveryCompanyName, $s.invoiceNumber, $s.inTrasitDateTime, $i.estimatedShippingDate, "", "" ] | @csv
